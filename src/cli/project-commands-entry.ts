/** The commands that change an existing project, bundled apart: `create` never loads them. */
export { addCommand, generateCommand } from './project-commands.js';
export { updateCommand } from './update.js';
