import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listTree, runCli } from '../helpers/cli.js';

const root = await mkdtemp(join(tmpdir(), 'cb-shape-'));
afterAll(() => rm(root, { recursive: true, force: true }));

const manifestOf = async (dir: string): Promise<{ answers: Record<string, unknown> }> =>
  JSON.parse(await readFile(join(dir, '.create-backend.json'), 'utf8')) as { answers: Record<string, unknown> };

describe('--admin and --sensitive-data', () => {
  it('are documented in --help with what they change', async () => {
    const result = await runCli(['--help']);
    expect(result.exitCode).toBe(0);
    expect(String(result.stdout)).toMatch(/--admin yes\|no/);
    expect(String(result.stdout)).toMatch(/--sensitive-data yes\|no/);
    expect(String(result.stdout)).toMatch(/--admin yes on Django adds the Django admin, mounted at DJANGO_ADMIN_PATH/);
    expect(String(result.stdout)).toMatch(/--sensitive-data yes makes\s+access tokens live 5 minutes/);
  });

  it.each([
    ['--admin', 'maybe'],
    ['--sensitive-data', 'true'],
  ])('refuse %s %s, naming the allowed values, and write nothing', async (flag, value) => {
    const dir = join(root, `bad-${flag.slice(2)}`);
    const result = await runCli([dir, '--stack', 'django', flag, value, '--yes', '--no-install', '--no-git']);
    expect(result.exitCode).toBe(1);
    expect(String(result.stderr)).toMatch(new RegExp(`${flag} .*unknown value "${value}"[\\s\\S]*yes, no`));
    expect(await listTree(dir)).toEqual([]);
  });

  it('refuse a bad value in an answers file, and write nothing', async () => {
    const file = join(root, 'bad-answers.json');
    await writeFile(file, JSON.stringify({ stack: 'flask', 'sensitive-data': 1 }));
    const dir = join(root, 'bad-file');
    const result = await runCli([dir, '--answers', file, '--yes', '--no-install', '--no-git']);
    expect(result.exitCode).toBe(1);
    expect(String(result.stderr)).toMatch(/key "sensitive-data" in .* must be a string/);
    expect(await listTree(dir)).toEqual([]);
  });

  it('shape a Django project from an answers file, and the manifest keeps them for update', async () => {
    const file = join(root, 'answers.json');
    await writeFile(file, JSON.stringify({ stack: 'django', admin: 'yes', 'sensitive-data': 'yes', features: [] }));
    const dir = join(root, 'django-shaped');
    const result = await runCli([dir, '--answers', file, '--yes', '--no-install', '--no-git']);
    expect(result.exitCode, String(result.stderr)).toBe(0);
    expect((await manifestOf(dir)).answers).toMatchObject({ admin: 'yes', 'sensitive-data': 'yes' });
    const settings = await readFile(join(dir, 'config/settings.py'), 'utf8');
    expect(settings).toContain('"django.contrib.admin"');
    expect(settings).toContain('env.get_int("JWT_TTL_SECONDS", 300');
    expect(await readFile(join(dir, 'README.md'), 'utf8')).toContain('## Sensitive data');
    // A random, unguessable admin path in the private .env; a placeholder in the example.
    expect(await readFile(join(dir, '.env'), 'utf8')).toMatch(/^DJANGO_ADMIN_PATH=[A-Za-z0-9_-]{40,}$/m);
    expect(await readFile(join(dir, '.env.example'), 'utf8')).toMatch(/^DJANGO_ADMIN_PATH=change-me/m);
    expect(await listTree(dir)).toContain(join('notes', 'admin.py'));
  });

  it('leave the admin out of a Django project by default', async () => {
    const dir = join(root, 'django-plain');
    const result = await runCli([dir, '--stack', 'django', '--features', 'none', '--yes', '--no-install', '--no-git']);
    expect(result.exitCode, String(result.stderr)).toBe(0);
    const tree = await listTree(dir);
    expect(tree).not.toContain(join('notes', 'admin.py'));
    expect(tree).not.toContain(join('accounts', 'admin.py'));
    expect(await readFile(join(dir, 'config/settings.py'), 'utf8')).not.toContain('django.contrib.admin');
    expect(await readFile(join(dir, '.env.example'), 'utf8')).not.toContain('DJANGO_ADMIN_PATH');
  });

  it('note, rather than refuse, --admin yes on a stack without an admin', async () => {
    const dir = join(root, 'flask-admin');
    const result = await runCli([dir, '--stack', 'flask', '--admin', 'yes', '--features', 'none', '--yes', '--no-install', '--no-git']);
    expect(result.exitCode, String(result.stderr)).toBe(0);
    expect(String(result.stderr)).toMatch(/Note: --admin yes mounts the Django admin in Django projects only; this Flask .* project has no admin back-office\./);
    expect((await manifestOf(dir)).answers).toMatchObject({ admin: 'yes' });
  });
});
