import { randomBytes, randomUUID } from 'node:crypto';
import { expectEqual, fail } from './assert.js';
import type { HttpClient } from './http.js';
import type { Spec } from './openapi.js';
import type { ContractOptions } from '../suite.js';

export interface User {
  id: number;
  email: string;
}

export interface Token {
  access_token: string;
  token_type: string;
  expires_in: number;
}

export interface Note {
  id: number;
  title: string;
  body: string | null;
  created_at: string;
  updated_at: string;
}

export interface NoteList {
  items: Note[];
  total: number;
  limit: number;
  offset: number;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: { field: string; message: string }[];
}

/** A registered user with a fresh access token. */
export interface Account extends User {
  password: string;
  token: string;
}

export interface Context {
  /** A client of this check's own: its source address is used by no other check of the run. */
  http: HttpClient;
  spec: Spec;
  options: ContractOptions;
  /**
   * A client with a source address nothing else of this run uses, so the per-address limits
   * (login throttle, registrations) start afresh. When the server is not on loopback there is
   * only one address, and this returns a client using it.
   */
  client: () => HttpClient;
  /** The run's base seed for generated inputs (properties derive their own from it). */
  seed: number;
}

export interface Check {
  name: string;
  run: (ctx: Context) => Promise<void>;
}

/** The command-line flag of each option, for failure messages. */
const FLAGS: Record<string, string> = {
  jwtSecret: '--jwt-secret',
  allowedOrigin: '--allowed-origin',
  breakDatabase: '--break-database-command',
};

/** Returns an option a check cannot do without; a missing one fails the check and says so. */
export function requireOption<K extends keyof ContractOptions>(ctx: Context, key: K): NonNullable<ContractOptions[K]> {
  const value = ctx.options[key];
  if (value === undefined || value === '') {
    const flag = FLAGS[key] ? ` (${FLAGS[key]} on the command line)` : '';
    fail(`this check needs the option ${key}${flag}, which was not given`);
  }
  return value as NonNullable<ContractOptions[K]>;
}

/** An address no earlier run of the suite has used. */
export const uniqueEmail = (tag = 'user'): string => `${tag}-${randomUUID()}@example.com`;

export const strongPassword = (): string => `Pw-${randomBytes(12).toString('base64url')}`;

export async function register(
  ctx: Context,
  email = uniqueEmail(),
  password = strongPassword(),
  http = ctx.http,
): Promise<User & { password: string }> {
  const res = await http.post('/api/v1/auth/register', { json: { email, password } });
  const user = ctx.spec.expect<User>(res, '/api/v1/auth/register', 201);
  return { ...user, password };
}

export async function login(ctx: Context, email: string, password: string, http = ctx.http): Promise<string> {
  const res = await http.post('/api/v1/auth/login', { json: { email, password } });
  return ctx.spec.expect<Token>(res, '/api/v1/auth/login', 200).access_token;
}

/** Registers and logs in a fresh user (from the check's own address, or from `http`'s). */
export async function newAccount(ctx: Context, tag = 'user', http = ctx.http): Promise<Account> {
  const user = await register(ctx, uniqueEmail(tag), strongPassword(), http);
  return { ...user, token: await login(ctx, user.email, user.password, http) };
}

export async function createNote(ctx: Context, account: Account, input: { title: string; body?: string | null }): Promise<Note> {
  const res = await ctx.http.post('/api/v1/notes', { token: account.token, json: input });
  const note = ctx.spec.expect<Note>(res, '/api/v1/notes', 201);
  expectEqual(note.title, input.title, 'created note title');
  return note;
}

export async function getNote(ctx: Context, account: Account, id: number): Promise<Note> {
  const res = await ctx.http.get(`/api/v1/notes/${id}`, { token: account.token });
  return ctx.spec.expect<Note>(res, '/api/v1/notes/{id}', 200);
}
