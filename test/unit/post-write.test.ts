import { describe, expect, it } from 'vitest';
import { oneLine } from '../../src/tasks/post-write.js';

describe('oneLine', () => {
  const install = 'Installing dependencies with python3 3.11.7 (python3 -m venv .venv && .venv/bin/python -m pip install -q -r requirements-dev.txt)';

  it('leaves a title that fits beside the frame as it is', () => {
    expect(oneLine('Initialising git (0 s)', { columns: 80 })).toBe('Initialising git (0 s)');
  });

  it('cuts a longer one to the terminal width with the frame, ending in an ellipsis', () => {
    const cut = oneLine(install, { columns: 80 });
    expect(cut).toHaveLength(77);
    expect(cut.endsWith('…')).toBe(true);
    expect(install.startsWith(cut.slice(0, -1))).toBe(true);
  });

  it('takes 80 columns when the stream reports a width of 0', () => {
    expect(oneLine(install, { columns: 0 })).toHaveLength(77);
  });
});
