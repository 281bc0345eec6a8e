import type { Profile, StackId } from '../answers/questions.js';

/**
 * The recommendation rules as data, taken from the comparison of Node.js, Django, Flask and PHP
 * this tool is built on: each rule fires on one answer and moves each stack's score, with the
 * sentence that explains why. Positive effects are reasons, negative ones are considerations.
 */
export interface Rule {
  readonly when: { readonly [K in keyof Profile]?: Profile[K] };
  readonly effects: Partial<Record<StackId, { readonly score: number; readonly why: string }>>;
}

export const RULES: readonly Rule[] = [
  // What the service does.
  {
    when: { workload: 'realtime' },
    effects: {
      node: { score: 4, why: 'Its event-driven, non-blocking I/O is made for real-time apps such as chat and live updates.' },
      php: { score: -2, why: 'Request-per-process PHP is a poor fit for long-lived real-time connections.' },
    },
  },
  {
    when: { workload: 'crud' },
    effects: {
      node: { score: 1, why: 'Lightweight and quick for JSON APIs and microservices.' },
      django: { score: 2, why: 'The ORM, migrations and DRF cover a database-backed REST API out of the box.' },
      flask: { score: 2, why: 'A small, explicit core is enough for a focused REST API.' },
      php: { score: 1, why: 'Integrates well with databases for classic server-side CRUD.' },
    },
  },
  {
    when: { workload: 'content' },
    effects: {
      php: { score: 4, why: 'PHP is the backbone of content sites and CMSs such as WordPress.' },
      django: { score: 2, why: 'Its admin and ORM make content management straightforward.' },
    },
  },
  {
    when: { workload: 'data' },
    effects: {
      django: { score: 4, why: 'Batteries included for complex, data-driven applications: ORM, migrations, admin.' },
      flask: { score: 1, why: 'Direct access to the Python data ecosystem.' },
    },
  },
  {
    when: { workload: 'cpu' },
    effects: {
      node: { score: -4, why: 'Not the best choice for CPU-intensive tasks: heavy computation blocks the event loop.' },
      django: { score: 1, why: 'Python hands heavy computation to native libraries and worker processes.' },
      flask: { score: 2, why: 'A thin Python service in front of native numeric libraries and workers.' },
    },
  },
  {
    when: { workload: 'ml' },
    effects: {
      flask: { score: 4, why: 'Lightweight Python service: the natural way to serve a machine-learning model.' },
      django: { score: 1, why: 'Python integrates machine learning, though Django brings more than model serving needs.' },
      node: { score: -1, why: 'Machine-learning libraries live in Python; Node would call out to them.' },
      php: { score: -2, why: 'PHP has little machine-learning tooling.' },
    },
  },
  // Who builds it.
  {
    when: { team: 'javascript' },
    effects: {
      node: { score: 3, why: 'Your team already writes JavaScript: one language across front end and back end.' },
      django: { score: -1, why: 'Your team would have to learn Python.' },
      flask: { score: -1, why: 'Your team would have to learn Python.' },
      php: { score: -1, why: 'Your team would have to learn PHP.' },
    },
  },
  {
    when: { team: 'python' },
    effects: {
      django: { score: 3, why: "Uses your team's Python, with its simple, readable syntax." },
      flask: { score: 3, why: "Uses your team's Python, with its simple, readable syntax." },
      node: { score: -1, why: 'Your team would have to learn JavaScript and asynchronous programming.' },
      php: { score: -1, why: 'Your team would have to learn PHP.' },
    },
  },
  {
    when: { team: 'php' },
    effects: {
      php: { score: 4, why: 'Your team already writes PHP, which is easy to learn and widely supported.' },
      node: { score: -1, why: 'Your team would have to learn JavaScript and asynchronous programming.' },
      django: { score: -1, why: 'Your team would have to learn Python.' },
      flask: { score: -1, why: 'Your team would have to learn Python.' },
    },
  },
  // How big it gets.
  {
    when: { size: 'prototype' },
    effects: {
      flask: { score: 3, why: 'Minimal and flexible: the quickest way to a working prototype.' },
      node: { score: 1, why: 'A vast module ecosystem adds functionality quickly.' },
      php: { score: 1, why: 'Cheap to start and easy to learn.' },
      django: { score: -2, why: 'Django can be overkill for a prototype.' },
    },
  },
  {
    when: { size: 'small' },
    effects: {
      flask: { score: 2, why: 'Lightweight and flexible, perfect for small applications.' },
      node: { score: 1, why: 'Lightweight services start small and stay fast.' },
      php: { score: 1, why: 'Cheap to host and easy to learn for a small site.' },
      django: { score: -1, why: 'Django can be overkill for small projects.' },
    },
  },
  {
    when: { size: 'medium' },
    effects: {
      django: { score: 1, why: 'Conventions keep a growing codebase consistent.' },
      flask: { score: 1, why: 'Suited to small and medium-sized applications.' },
      node: { score: 1, why: 'Scales well as a set of services.' },
    },
  },
  {
    when: { size: 'large' },
    effects: {
      django: { score: 3, why: 'Scales from small apps to large enterprise systems with built-in structure.' },
      node: { score: 1, why: 'Scales out well as services, though its async code needs discipline.' },
      flask: { score: -2, why: 'Flask requires more setup for larger applications: every piece is chosen and wired by hand.' },
      php: { score: -2, why: 'PHP code can become messy without strong structure in a large codebase.' },
    },
  },
  // Load.
  {
    when: { concurrency: 'high' },
    effects: {
      // Measured by `npm run bench:apps` (docs/performance.md, latest table, 0.6.0): on the same
      // 2 cores the generated Node app served the authenticated list at 1.5x (PostgreSQL) to 3.2x
      // (SQLite) the PHP app's requests per second and 3.7x to 12x the Django and Flask apps'.
      node: { score: 3, why: 'Handles many simultaneous connections efficiently: measured on the same cores, 1.5-3x the requests per second of the PHP app and 3.5x or more those of the Python apps.' },
      php: { score: -1, why: 'One busy worker process per request in flight: under many concurrent connections it sheds or queues sooner (measured, a third to two thirds of Node\'s throughput).' },
    },
  },
  // Risk.
  {
    when: { 'sensitive-data': 'yes' },
    effects: {
      django: { score: 3, why: 'Security-focused defaults: protection against SQL injection, XSS and CSRF built in.' },
      flask: { score: -1, why: 'Security pieces are assembled from extensions, so there is more to get right.' },
      php: { score: -1, why: 'Security depends on discipline the language does not enforce.' },
    },
  },
  {
    when: { admin: 'yes' },
    effects: {
      django: { score: 4, why: 'The Django admin gives you a back-office for free.' },
      flask: { score: -1, why: 'An admin back-office means an extra extension to add and secure.' },
      node: { score: -1, why: 'An admin back-office has to be built or added separately.' },
    },
  },
  {
    when: { hosting: 'shared' },
    effects: {
      php: { score: 4, why: 'Runs on cheap shared hosting almost everywhere.' },
      node: { score: -2, why: 'Needs a long-running process, which shared hosting rarely offers.' },
      django: { score: -2, why: 'Needs a long-running process, which shared hosting rarely offers.' },
      flask: { score: -2, why: 'Needs a long-running process, which shared hosting rarely offers.' },
    },
  },
];

/** Standing considerations of each stack, shown with the winner whatever the answers. */
export const STANDING_CONSIDERATIONS: Readonly<Record<StackId, readonly string[]>> = {
  node: ['Asynchronous programming can be complex.', 'Not the best choice for CPU-intensive tasks.'],
  django: ['Can be overkill for small projects.'],
  flask: ['Requires more setup as the application grows.'],
  php: ['Code can become messy if not well structured.', 'May not perform as well as newer technologies for some tasks.'],
};

/** Tie-break order: when scores are equal, the earlier stack ranks first. */
export const STACK_ORDER: readonly StackId[] = ['node', 'django', 'flask', 'php'];
