import { defineStackE2E } from './stack-e2e.js';

defineStackE2E('php', 'postgres');
