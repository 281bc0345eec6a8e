import { QUESTIONS } from '../answers/questions.js';
import type { Command } from './args.js';

function questionFlags(profileOnly: boolean): string {
  return QUESTIONS.filter((q) => !profileOnly || q.profile)
    .map((q) => {
      const values = q.kind === 'choice' ? q.choices.map((c) => c.value).join('|') : '<name>';
      return `  --${q.id} ${values}`.padEnd(56) + q.message;
    })
    .join('\n');
}

const CREATE = `Usage: create-backend [dir] [flags]

Asks a few questions, recommends a backend stack with its reasons, and generates a
production-minded starter project: REST API with auth, tests, Docker, CI and tested backups.
On a terminal it asks; with --yes, in CI or without a terminal it never does.

Answers (each is also a key of the --answers file; see \`create-backend schema\`):
${questionFlags(false)}

Flags:
  --answers <file.json>   Read answers from a JSON file (flags win over it)
  -y, --yes               Take the recommended stack and defaults for anything unanswered
  --dry-run               Print every file that would be written, with its status; write nothing
  --no-install            Do not install dependencies
  --no-git                Do not run git init and the first commit
  --force                 Allow a non-empty directory (overwrites our files, deletes nothing)
  --json                  Print a machine-readable result on stdout
  --verbose               Show internal details of errors
  -h, --help              Show help (also: create-backend recommend --help)
  -v, --version           Show the version

Commands:
  create-backend [dir]         Generate a project (default)
  create-backend recommend     Rank the stacks for your answers, without generating
  create-backend schema        Print the JSON Schema of an answers file

Examples:
  npx create-backend my-api
  npx create-backend my-api --stack node --yes
  npx create-backend my-api --workload realtime --team javascript --yes
  npx create-backend my-api --answers answers.json --no-install --no-git
  npx create-backend my-api --stack django --db postgres --dry-run

Exit codes: 0 success, 1 user error, 130 cancelled.
`;

const RECOMMEND = `Usage: create-backend recommend [flags]

Ranks Node.js, Django, Flask and PHP for your project and explains why. Unanswered questions
take their defaults.

${questionFlags(true)}
  --answers <file.json>                                   Read answers from a JSON file
  --json                                                  Print the ranking as JSON

Examples:
  npx create-backend recommend --workload realtime --concurrency high
  npx create-backend recommend --team python --size large --admin yes --json
`;

const SCHEMA = `Usage: create-backend schema

Prints the JSON Schema (2020-12) of an answers file for --answers.

Examples:
  npx create-backend schema > answers.schema.json
`;

/** Help text of a command. */
export function helpText(command: Command): string {
  return { create: CREATE, recommend: RECOMMEND, schema: SCHEMA }[command];
}
