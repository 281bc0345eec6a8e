/**
 * Names a generated resource or field may not take: keywords of the languages the stacks are
 * written in (a field named `class` cannot be a Python attribute), SQL keywords (a table named
 * `order` needs quoting everywhere), and names the projects already use.
 */

const PYTHON = 'False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield self cls'.split(' ');

const TYPESCRIPT = 'arguments break case catch class const constructor continue debugger default delete do else enum eval export extends false finally for function if implements import in instanceof interface let new null package private protected public require return static super switch this throw true try typeof undefined var void while with yield prototype __proto__'.split(' ');

const SQL = 'all alter and any array as asc authorization between both by case cast check collate column constraint create cross current current_date current_time current_timestamp current_user default deferrable desc distinct do drop else end except exists false fetch for foreign from full grant group having in initially inner insert intersect into is join lateral leading left like limit localtime localtimestamp natural not null offset on only or order outer overlaps primary references returning right row select session_user similar some symmetric table then to trailing true union unique update user using values variadic verbose when where window with'.split(' ');

/** Columns every resource has, and attribute names the ORMs keep for themselves. */
const FIELD_ONLY = 'id pk owner owner_id created_at updated_at objects metadata registry query save clean validate full_clean refresh_from_db serializable_value'.split(' ');

/**
 * Python standard-library modules a project package of that name would shadow, and Django apps
 * or relations every Django project has.
 */
const PYTHON_MODULES = 'abc array ast asyncio base64 bisect builtins calendar cmd code codecs collections contextlib copy csv ctypes dataclasses datetime decimal difflib dis email enum errno fractions functools gc getpass gettext glob graphlib gzip hashlib heapq hmac html http imaplib importlib inspect io ipaddress itertools json keyword locale logging lzma mailbox math mimetypes numbers operator os pathlib pickle platform pprint queue random re resource sched secrets select selectors shelve shlex shutil signal site smtplib socket sqlite3 ssl stat statistics string struct subprocess sys tempfile textwrap threading time timeit token tokenize trace traceback types typing unittest urllib uuid warnings weakref xml zipfile zlib zoneinfo sessions messages contenttypes staticfiles corsheaders rest_framework groups user_permissions permissions'.split(' ');

/** Names a field may not take because the generated modules use them (Django, DRF, our own). */
const FIELD_MODULE_NAMES = 'models strict fields data errors instance context partial validated_data initial_data delete check'.split(' ');

/** Modules, tables and routes the generated projects already have. */
const RESOURCE_ONLY = 'user users account accounts auth health ready openapi core config configs test tests app apps api admin migration migrations db database http route routes repository repositories schema schemas model models setting settings static media ops backup backups docker src dist node_modules venv'.split(' ');

const RESERVED_WORDS = new Set([...PYTHON, ...TYPESCRIPT, ...SQL].map((w) => w.toLowerCase()));
const RESERVED_FIELDS = new Set([...RESERVED_WORDS, ...FIELD_ONLY, ...FIELD_MODULE_NAMES]);
const RESERVED_RESOURCES = new Set([...RESERVED_WORDS, ...RESOURCE_ONLY, ...PYTHON_MODULES]);

/** Whether a field name is reserved. */
export function isReservedField(name: string): boolean {
  return RESERVED_FIELDS.has(name.toLowerCase());
}

/** Whether one spelling of a resource name (snake, plural, …) is reserved. */
export function isReservedResource(spelling: string): boolean {
  return RESERVED_RESOURCES.has(spelling.toLowerCase());
}
