/**
 * Every question create-backend can ask, as data. Flags, answers-file keys, the JSON Schema and
 * the interactive prompts are all derived from this one table, so they cannot drift apart.
 */

/** A question with a fixed set of answers. */
export interface ChoiceQuestion<Id extends string = string, V extends string = string> {
  readonly kind: 'choice';
  /** Answers-file key and flag name (`--<id>`). */
  readonly id: Id;
  /** Prompt text and help line. */
  readonly message: string;
  readonly choices: readonly { readonly value: V; readonly title: string }[];
  /** Used with `--yes` or when unanswered; `undefined` means "the recommended stack". */
  readonly default: V | undefined;
  /** Feeds the stack recommendation (as opposed to a generation choice). */
  readonly profile: boolean;
}

/** A free-text question validated by a pattern. */
export interface TextQuestion<Id extends string = string> {
  readonly kind: 'text';
  readonly id: Id;
  readonly message: string;
  readonly pattern: RegExp;
  readonly patternHint: string;
  readonly maxLength: number;
  readonly profile: false;
}

/**
 * A question answered with any subset of a fixed set: `--features docker,ci` (or `none`) on the
 * command line, a JSON array in an answers file.
 */
export interface MultiQuestion<Id extends string = string, V extends string = string> {
  readonly kind: 'multi';
  readonly id: Id;
  readonly message: string;
  readonly choices: readonly { readonly value: V; readonly title: string }[];
  readonly default: readonly V[];
  readonly profile: false;
}

const yesNo = [
  { value: 'yes', title: 'Yes' },
  { value: 'no', title: 'No' },
] as const;

/** Project names double as package, database and compose project names, hence the strict shape. */
export const NAME_PATTERN = /^[a-z](?:[a-z0-9]|-(?=[a-z0-9]))*$/;

export const QUESTIONS = [
  {
    kind: 'text',
    id: 'name',
    message: 'Project name',
    pattern: NAME_PATTERN,
    patternHint: 'lowercase letters, digits and single hyphens, starting with a letter',
    maxLength: 63,
    profile: false,
  },
  {
    kind: 'choice',
    id: 'workload',
    message: 'What does the service mostly do?',
    choices: [
      { value: 'crud', title: 'CRUD / REST API over a database' },
      { value: 'realtime', title: 'Real-time: chat, live updates, many open connections' },
      { value: 'content', title: 'Content site or CMS-style pages' },
      { value: 'data', title: 'Data-heavy app: complex models, reports, back-office' },
      { value: 'cpu', title: 'CPU-heavy processing' },
      { value: 'ml', title: 'Serving a machine-learning model' },
    ],
    default: 'crud',
    profile: true,
  },
  {
    kind: 'choice',
    id: 'team',
    message: "The team's strongest language",
    choices: [
      { value: 'javascript', title: 'JavaScript / TypeScript' },
      { value: 'python', title: 'Python' },
      { value: 'php', title: 'PHP' },
      { value: 'mixed', title: 'Mixed / no strong preference' },
    ],
    default: 'mixed',
    profile: true,
  },
  {
    kind: 'choice',
    id: 'size',
    message: 'Expected size of the project',
    choices: [
      { value: 'prototype', title: 'Prototype' },
      { value: 'small', title: 'Small service' },
      { value: 'medium', title: 'Medium application' },
      { value: 'large', title: 'Large, long-lived application' },
    ],
    default: 'small',
    profile: true,
  },
  {
    kind: 'choice',
    id: 'concurrency',
    message: 'Concurrent connections at peak',
    choices: [
      { value: 'low', title: 'Low (hundreds)' },
      { value: 'medium', title: 'Medium (thousands)' },
      { value: 'high', title: 'High (tens of thousands, long-lived)' },
    ],
    default: 'medium',
    profile: true,
  },
  {
    kind: 'choice',
    id: 'sensitive-data',
    message: 'Does it handle payments, health or personal data?',
    choices: yesNo,
    default: 'no',
    profile: true,
  },
  {
    kind: 'choice',
    id: 'admin',
    message: 'Does it need an admin back-office?',
    choices: yesNo,
    default: 'no',
    profile: true,
  },
  {
    kind: 'choice',
    id: 'hosting',
    message: 'Where will it run?',
    choices: [
      { value: 'container', title: 'Containers / a VM' },
      { value: 'paas', title: 'A platform (PaaS)' },
      { value: 'shared', title: 'Cheap shared hosting' },
    ],
    default: 'container',
    profile: true,
  },
  {
    kind: 'choice',
    id: 'stack',
    message: 'Stack',
    choices: [
      { value: 'node', title: 'Node.js (TypeScript, Fastify)' },
      { value: 'django', title: 'Django + Django REST framework' },
      { value: 'flask', title: 'Flask + SQLAlchemy' },
      { value: 'php', title: 'PHP (Slim)' },
    ],
    default: undefined,
    profile: false,
  },
  {
    kind: 'choice',
    id: 'db',
    message: 'Database for local development',
    choices: [
      { value: 'sqlite', title: 'SQLite (embedded, nothing to run)' },
      { value: 'postgres', title: 'PostgreSQL' },
    ],
    default: 'sqlite',
    profile: false,
  },
  {
    kind: 'choice',
    id: 'package-manager',
    message: 'Package manager (Node projects)',
    choices: [
      { value: 'npm', title: 'npm' },
      { value: 'pnpm', title: 'pnpm' },
      { value: 'yarn', title: 'Yarn (through corepack)' },
      { value: 'bun', title: 'Bun' },
    ],
    // Not asked: the package manager that runs create-backend (npm_config_user_agent) decides.
    default: 'npm',
    profile: false,
  },
  {
    kind: 'multi',
    id: 'features',
    message: 'Optional features',
    choices: [
      { value: 'docker', title: 'Docker: Dockerfile, .dockerignore, compose.yaml' },
      { value: 'ci', title: 'CI: GitHub Actions workflow' },
      { value: 'backup', title: 'Backups: backup, restore, verify, list, prune (tested)' },
      { value: 'kubernetes', title: 'Kubernetes: kustomize base and production overlay (adds Docker)' },
    ],
    default: ['docker', 'ci', 'backup'],
    profile: false,
  },
] as const satisfies readonly (ChoiceQuestion | TextQuestion | MultiQuestion)[];

/** Any question of the table. */
export type Question = (typeof QUESTIONS)[number];
/** A question id: also the flag name and the answers-file key. */
export type QuestionId = Question['id'];
type ChoiceOf<Q> = Q extends { kind: 'choice'; choices: readonly { value: infer V }[] }
  ? V
  : Q extends { kind: 'multi'; choices: readonly { value: infer V }[] }
    ? V[]
    : string;

/** Answers only some stacks have: a Node project's package manager. */
type OptionalAnswerId = 'package-manager';
/** A complete, validated set of answers: the only input of generation. */
export type Answers = { -readonly [Q in Question as Q['id'] extends OptionalAnswerId ? never : Q['id']]: ChoiceOf<Q> } & {
  -readonly [Q in Question as Q['id'] extends OptionalAnswerId ? Q['id'] : never]?: ChoiceOf<Q>;
};
/** Answers collected so far, any of them possibly missing. */
export type PartialAnswers = Partial<Answers>;

/** The stack ids, in the order used to break ties. */
export type StackId = Answers['stack'];
/** The project-profile part of the answers that drives the recommendation. */
export type Profile = Pick<Answers, 'workload' | 'team' | 'size' | 'concurrency' | 'sensitive-data' | 'admin' | 'hosting'>;

/** Looks a question up by id. */
export function questionById(id: string): Question | undefined {
  return QUESTIONS.find((q) => q.id === id);
}

/** Narrows a question to one with a fixed set of answers. */
export function isChoice(q: Question): q is Extract<Question, { kind: 'choice' }> {
  return q.kind === 'choice';
}

/** Narrows a question to one answered with a subset of its choices. */
export function isMulti(q: Question): q is Extract<Question, { kind: 'multi' }> {
  return q.kind === 'multi';
}

/** The questions that describe the project and drive the recommendation. */
export const PROFILE_QUESTIONS: readonly ChoiceQuestion[] = QUESTIONS.filter(isChoice).filter((q) => q.profile);
