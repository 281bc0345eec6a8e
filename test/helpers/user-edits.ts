import { appendFile, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { StackId } from '../../src/answers/questions.js';
import { NEXT_CHANGED_FILE } from './next-version.js';

/** What `update --json` prints. */
export interface UpdateReport {
  readonly base: string;
  readonly conflicts: string[];
  readonly files: { path: string; status: string; conflicts?: { start: number; end: number }[] }[];
}

/** A source file every project of a stack has, and its comment syntax. */
export const CODE_FILE: Record<StackId, [string, string]> = {
  node: ['src/app.ts', '//'],
  django: ['config/urls.py', '#'],
  flask: ['app/__init__.py', '#'],
  php: ['public/index.php', '//'],
};

/** The edits a user makes, so a test can look for each of them afterwards. */
export interface UserEdits {
  readonly readmeTitle: string;
  readonly codeFile: string;
  readonly codeLine: string;
  /** `[file, text]` of the dependency and the script the user added. */
  readonly dependency: readonly (readonly [string, string])[];
}

/**
 * Edits a generated project the way its owner would: retitles the README, adds a line of code,
 * deletes a documentation file, adds a dependency and a script.
 */
export async function editProject(dir: string, stack: StackId): Promise<UserEdits> {
  const readmeTitle = '# Our payments service';
  const readme = join(dir, 'README.md');
  await writeFile(readme, (await readFile(readme, 'utf8')).replace(/^# .*$/m, readmeTitle));
  const [codeFile, comment] = CODE_FILE[stack];
  const codeLine = `${comment} Payments team: keep this line.`;
  await appendFile(join(dir, codeFile), `\n${codeLine}\n`);
  await unlink(join(dir, NEXT_CHANGED_FILE));
  const dependency: [string, string][] = [];
  if (stack === 'node' || stack === 'php') {
    const file = stack === 'node' ? 'package.json' : 'composer.json';
    const manifest = JSON.parse(await readFile(join(dir, file), 'utf8'));
    if (stack === 'node') {
      manifest.dependencies = { ...manifest.dependencies, ms: '2.1.3' };
      manifest.scripts = { ...manifest.scripts, hello: "node -e \"console.log('hello')\"" };
      dependency.push([file, '"ms": "2.1.3"'], [file, '"hello":']);
    } else {
      manifest.scripts = { ...manifest.scripts, hello: "php -r \"echo 'hello';\"" };
      dependency.push([file, '"hello":']);
    }
    await writeFile(join(dir, file), `${JSON.stringify(manifest, null, 2)}\n`);
  } else {
    await appendFile(join(dir, 'requirements.txt'), 'six==1.16.0  # for the legacy importer\n');
    await appendFile(join(dir, 'pyproject.toml'), '\n# Our own settings\n[tool.payments]\nowner = "payments"\n');
    dependency.push(['requirements.txt', 'six==1.16.0  # for the legacy importer'], ['pyproject.toml', '[tool.payments]']);
  }
  return { readmeTitle, codeFile, codeLine, dependency };
}

/** Resolves every conflict block of a file by keeping the user's side. */
export async function resolveTakingOurs(path: string): Promise<void> {
  const text = await readFile(path, 'utf8');
  await writeFile(path, text.replace(/^<<<<<<< .*\n([\s\S]*?)(?:^\|\|\|\|\|\|\| .*\n[\s\S]*?)?^=======\n[\s\S]*?^>>>>>>> .*\n/gm, '$1'));
}
