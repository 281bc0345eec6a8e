import { describe, expect, it } from 'vitest';
import { cliRunner, detectPackageManager, nodeCommands, packageManagerContext } from '../../src/stacks/package-manager.js';

describe('package manager', () => {
  it('is read from the user agent npm, pnpm, Yarn and Bun set, and is npm otherwise', () => {
    expect(detectPackageManager('pnpm/10.4.1 npm/? node/v22.14.0 linux x64')).toBe('pnpm');
    expect(detectPackageManager('yarn/4.5.0 npm/? node/v22.14.0 darwin arm64')).toBe('yarn');
    expect(detectPackageManager('yarn/1.22.22 npm/? node/v20.18.0 linux x64')).toBe('yarn');
    expect(detectPackageManager('bun/1.1.38 npm/? node/v22.6.0 linux x64')).toBe('bun');
    expect(detectPackageManager('npm/11.0.0 node/v24.0.0 linux x64 workspaces/false')).toBe('npm');
    for (const other of [undefined, '', 'deno/2.1.0', 'pnpmx/1.0.0', 'node/v24.0.0 pnpm/10.0.0']) expect(detectPackageManager(other)).toBe('npm');
  });

  it('gives each manager its own commands: Bun runs the test script with `bun run test`, not its own runner', () => {
    expect(nodeCommands('npm')).toEqual({ install: 'npm install --no-audit --no-fund', build: 'npm run build', test: 'npm test', lint: 'npm run lint', migrate: 'npm run migrate', start: 'node dist/server.js' });
    expect(nodeCommands('bun').test).toBe('bun run test');
    expect(nodeCommands('pnpm').migrate).toBe('pnpm run migrate');
    expect(cliRunner('pnpm')).toBe('pnpm dlx');
  });

  it('pins pnpm and Yarn in packageManager, never npm or Bun', () => {
    const pinned = { pnpm: '12.21.0', yarn: '4.18.1' };
    expect(packageManagerContext('pnpm', pinned).packageManagerField).toBe('pnpm@12.21.0');
    expect(packageManagerContext('yarn', pinned).packageManagerField).toBe('yarn@4.18.1');
    expect(packageManagerContext('npm', pinned).packageManagerField).toBe('');
    expect(packageManagerContext('bun', pinned).packageManagerField).toBe('');
    expect(packageManagerContext('npm', pinned).argsSeparator).toBe('-- ');
  });
});
