/**
 * https://no-color.org: any non-empty NO_COLOR turns colour off. The prompts' colour library
 * (kleur) knows only NODE_DISABLE_COLORS and reads it once, when it loads, and the prompts colour
 * some symbols while they load too, so this module must be imported before `prompts`.
 */
if (process.env.NO_COLOR) process.env.NODE_DISABLE_COLORS = '1';

export {};
