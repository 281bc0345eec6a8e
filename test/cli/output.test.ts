import { execa } from 'execa';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, listTree, runCli } from '../helpers/cli.js';

const root = await mkdtemp(join(tmpdir(), 'cb-output-'));
afterAll(() => rm(root, { recursive: true, force: true }));

const lines = (text: unknown): string[] => String(text).split('\n').filter((l, i, all) => i < all.length - 1 || l !== '');

describe('output without a terminal', () => {
  it('with --stack: one line about the choice, no ranking, at most 5 lines on stderr', async () => {
    const result = await runCli([join(root, 'chosen'), '--stack', 'django', '--yes', '--no-install', '--no-git']);
    expect(result.exitCode).toBe(0);
    expect(String(result.stderr)).toMatch(/^You chose django; the answers would also fit flask\.$/m);
    expect(String(result.stderr)).not.toMatch(/score|Why |Considerations/);
    expect(lines(result.stderr).length).toBeLessThanOrEqual(5);
  });

  it('with --yes and no stack: the picked stack and its first reason in one line, at most 5 lines on stderr', async () => {
    const result = await runCli([join(root, 'picked'), '--team', 'javascript', '--workload', 'realtime', '--yes', '--no-install', '--no-git']);
    expect(result.exitCode).toBe(0);
    expect(String(result.stderr)).toMatch(/^Chose node, the best fit for your answers: .+\. \(`create-backend recommend` shows the ranking\.\)$/m);
    expect(lines(result.stderr).length).toBeLessThanOrEqual(5);
  });

  it('with --json an error is one JSON object on stdout and nothing is written', async () => {
    const dir = join(root, 'json-error');
    const result = await runCli([dir, '--stack', 'nope', '--json']);
    expect(result.exitCode).toBe(1);
    expect(JSON.parse(String(result.stdout))).toEqual({ error: { message: expect.stringContaining('"nope"'), hint: 'Use one of: node, django, flask, php.', exitCode: 1 } });
    expect(String(result.stderr)).toBe('');
    expect(await listTree(dir)).toEqual([]);
  });
});

/** A real terminal (tmux), as a user meets the prompts; returns the screen with its colour attributes. */
async function screenOf(args: string[], env: Record<string, string>): Promise<string> {
  const session = `cb-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const command = ['env', ...Object.entries(env).map(([k, v]) => `${k}=${v}`), 'node', CLI, ...args].map((a) => `'${a}'`).join(' ');
  await execa('tmux', ['new-session', '-d', '-s', session, '-x', '120', '-y', '40', command], { env: { ...process.env, CI: '' } });
  try {
    // The first prompt is up once the screen stops changing.
    let screen = '';
    for (let i = 0; i < 40; i++) {
      await new Promise((r) => setTimeout(r, 250));
      const next = (await execa('tmux', ['capture-pane', '-p', '-e', '-t', session])).stdout;
      if (next.trim() !== '' && next === screen) break;
      screen = next;
    }
    return screen;
  } finally {
    await execa('tmux', ['kill-session', '-t', session], { reject: false });
  }
}

describe('on a terminal (tmux)', () => {
  it('with --stack asks the database first, with no profile question and no ranking', async () => {
    const screen = await screenOf([join(root, 'tmux-django'), '--stack', 'django', '--no-install', '--no-git'], { CI: '' });
    expect(screen).toMatch(/You chose django/);
    expect(screen).toMatch(/Database/);
    expect(screen).not.toMatch(/What does the service mostly do|Recommended stack|score/);
  });

  it('NO_COLOR=1 leaves no escape sequence on the screen, which has colours without it', async () => {
    const args = [join(root, 'tmux-color'), '--no-install', '--no-git'];
    expect(await screenOf(args, { CI: '' })).toContain('\x1b[');
    expect(await screenOf(args, { CI: '', NO_COLOR: '1' })).not.toContain('\x1b[');
  });
});
