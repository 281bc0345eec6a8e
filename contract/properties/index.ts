import type { Check } from '../lib/context.js';
import type { Spec } from '../lib/openapi.js';
import { authProperties } from './auth.js';
import { resourceProperties } from './resources.js';

/**
 * The property phase: generated requests for every operation the document describes with a
 * request schema (register, login, and each resource's list, create, read, update and delete;
 * `me` is exercised after each generated registration), and a model-based run per resource.
 */
export function propertyChecks(spec: Spec): Check[] {
  return [...authProperties(), ...resourceProperties({ spec })];
}
