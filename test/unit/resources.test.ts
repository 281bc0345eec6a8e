import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { resourceContexts, resourcePath } from '../../src/resources/context.js';
import { resourceNames } from '../../src/resources/naming.js';
import { checkResourceName, formatFields, NOTE_RESOURCE, parseFields } from '../../src/resources/spec.js';

describe('resource names', () => {
  it.each([
    ['Task', 'tasks', 'tasks', 'tasks'],
    ['Category', 'categories', 'categories', 'categories'],
    ['OrderItem', 'order-items', 'order_items', 'orderItems'],
    ['Box', 'boxes', 'boxes', 'boxes'],
    ['Person', 'people', 'people', 'people'],
    ['HTTPLog', 'http-logs', 'http_logs', 'httpLogs'],
    ['Day', 'days', 'days', 'days'],
  ])('%s → /api/v1/%s, table %s, %s', (name, url, table, camel) => {
    const n = resourceNames(name);
    expect([n.kebabPlural, n.snakePlural, n.camelPlural]).toEqual([url, table, camel]);
  });

  it('refuses names that are not PascalCase or that collide with keywords, modules or existing tables', () => {
    for (const name of ['task', 'Task_Item', '1Task', 'Order', 'User', 'Group', 'Class', 'Type', 'Secret', 'Session', 'Import', 'Account']) {
      expect(() => checkResourceName(name), name).toThrow(UsageError);
    }
    for (const name of ['Task', 'OrderItem', 'Invoice', 'BlogPost']) expect(() => checkResourceName(name), name).not.toThrow();
  });
});

describe('--fields', () => {
  it('parses every type, lengths and optional marks, and prints them back canonically', () => {
    const spec = 'title:string(40),body:text?,qty:integer,price:number,done:boolean,due:date?,at:datetime?,name:string';
    const fields = parseFields(spec);
    expect(fields[0]).toEqual({ name: 'title', type: 'string', max: 40, optional: false });
    expect(fields[1]).toEqual({ name: 'body', type: 'text', max: 10000, optional: true });
    expect(fields[7]).toEqual({ name: 'name', type: 'string', max: 200, optional: false });
    expect(formatFields(fields)).toBe(spec);
    expect(formatFields(NOTE_RESOURCE.fields)).toBe('title:string,body:text?');
  });

  it.each([
    ['', /empty/],
    ['title', /malformed/],
    ['Title:string', /not a valid field name/],
    ['title:strng', /unknown type/],
    ['class:string', /reserved/],
    ['id:integer', /reserved/],
    ['owner_id:integer', /reserved/],
    ['metadata:text', /reserved/],
    ['title:string(0)', /between 1 and 2000/],
    ['title:string(2001)', /between 1 and 2000/],
    ['n:integer(3)', /only string and text/],
    ['a:string,a:text', /listed twice/],
  ])('refuses %j', (spec, message) => {
    expect(() => parseFields(spec)).toThrow(message);
  });
});

describe('resource context', () => {
  it('numbers migrations after the users one and replaces path segments', () => {
    const [note, task] = resourceContexts([NOTE_RESOURCE, { name: 'Task', fields: parseFields('done:boolean') }]);
    expect([note!.sequence, note!.previousSequence, task!.sequence, task!.previousSequence]).toEqual(['0002', '0001', '0003', '0002']);
    expect(resourcePath('src/routes/[camelPlural].ts.hbs', task!)).toBe('src/routes/tasks.ts.hbs');
    expect(task!.fields[0]).toMatchObject({ name: 'done', isBoolean: true, max: null, isFirst: true, isLast: true });
    expect(() => resourcePath('x/[nope].py', task!)).toThrow(/unknown resource name/);
  });
});
