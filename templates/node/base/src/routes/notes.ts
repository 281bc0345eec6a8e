import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

import { bearerAuth } from '../auth/authenticate.js';
import type { TokenService } from '../auth/tokens.js';
import { HttpError } from '../http/problem.js';
import type { Note, NotePatch, NoteRepository } from '../repositories/notes.js';
import {
  noteCreateSchema,
  noteListSchema,
  noteSchema,
  noteUpdateSchema,
  paginationQuerySchema,
} from './schemas.js';

export interface NotesRoutesOptions {
  notes: NoteRepository;
  tokens: TokenService;
}

interface IdParams {
  id: string;
}

// Ids are PostgreSQL `integer`s; anything else cannot name a note.
const MAX_ID = 2_147_483_647;

/**
 * Query values are coerced to numbers before schema validation, and that coercion also takes
 * "1e2", "10.0" or "+5". The contract accepts plain decimal digits only, like every stack.
 */
function requireDecimalPagination(
  request: FastifyRequest,
  _reply: FastifyReply,
  done: (error?: Error) => void,
): void {
  const query = request.query as Record<string, unknown>;
  const errors = ['limit', 'offset']
    .filter((field) => {
      const value = query[field];
      return value !== undefined && !(typeof value === 'string' && /^[0-9]+$/.test(value));
    })
    .map((field) => ({ field, message: 'must be a whole number written in decimal digits' }));
  done(errors.length > 0 ? new HttpError(422, 'The request is invalid', { errors }) : undefined);
}

export function notesRoutes(app: FastifyInstance, { notes, tokens }: NotesRoutesOptions): void {
  app.addHook('onRequest', bearerAuth(tokens));

  app.get<{ Querystring: { limit: number; offset: number } }>(
    '/',
    {
      schema: { querystring: paginationQuerySchema, response: { 200: noteListSchema } },
      preValidation: requireDecimalPagination,
    },
    async (request) => {
      const { limit, offset } = request.query;
      const page = await notes.list(request.userId, limit, offset);
      return { items: page.items.map(toJson), total: page.total, limit, offset };
    },
  );

  app.post<{ Body: { title: string; body?: string | null } }>(
    '/',
    { schema: { body: noteCreateSchema, response: { 201: noteSchema } } },
    async (request, reply) => {
      const note = await notes.create(
        request.userId,
        request.body.title,
        request.body.body ?? null,
      );
      return reply.code(201).send(toJson(note));
    },
  );

  app.get<{ Params: IdParams }>(
    '/:id',
    { schema: { response: { 200: noteSchema } } },
    async (request) => {
      const note = await notes.get(request.userId, parseId(request.params.id));
      if (!note) throw notFound();
      return toJson(note);
    },
  );

  app.patch<{ Params: IdParams; Body: NotePatch }>(
    '/:id',
    { schema: { body: noteUpdateSchema, response: { 200: noteSchema } } },
    async (request) => {
      const note = await notes.update(request.userId, parseId(request.params.id), request.body);
      if (!note) throw notFound();
      return toJson(note);
    },
  );

  app.delete<{ Params: IdParams }>('/:id', async (request, reply) => {
    if (!(await notes.delete(request.userId, parseId(request.params.id)))) throw notFound();
    return reply.code(204).send();
  });
}

/** Another user's note answers exactly like a missing one: 404, never 403. */
function notFound(): HttpError {
  return new HttpError(404, 'No such note');
}

function parseId(raw: string): number {
  const id = /^[1-9]\d{0,9}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(id <= MAX_ID)) throw notFound();
  return id;
}

function toJson(note: Note) {
  return {
    id: note.id,
    title: note.title,
    body: note.body,
    created_at: note.createdAt,
    updated_at: note.updatedAt,
  };
}
