import { cpSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StackId } from '../../src/answers/questions.js';
import type { Project } from '../../test/e2e/project.js';

/**
 * The same framework answering `GET /health` with nothing else — no middleware, database or
 * logging — under the project's own server settings (same runtime, same gunicorn config, same
 * php-fpm + nginx). Ratios against it show what the generated app adds, not what the machine is.
 */
export function bareProject(project: Project, stack: StackId): Project {
  const start = writeBare(project.dir, stack);
  return { ...project, dir: start.dir, manifest: { ...project.manifest, commands: { ...project.manifest.commands, start: start.command } } };
}

function writeBare(dir: string, stack: StackId): { dir: string; command: string } {
  switch (stack) {
    case 'node':
      writeFileSync(
        join(dir, 'bench-bare.mjs'),
        [
          "import Fastify from 'fastify';",
          'const app = Fastify({ logger: false });',
          "app.get('/health', async () => ({ status: 'ok' }));",
          "await app.listen({ host: process.env.HOST ?? '127.0.0.1', port: Number(process.env.PORT) });",
          "for (const signal of ['SIGTERM', 'SIGINT']) process.once(signal, () => void app.close().then(() => process.exit(0)));",
          '',
        ].join('\n'),
      );
      return { dir, command: 'node bench-bare.mjs' };
    case 'django':
      writeFileSync(
        join(dir, 'bench_bare.py'),
        [
          'from django.conf import settings',
          '',
          'settings.configure(DEBUG=False, ROOT_URLCONF=__name__, ALLOWED_HOSTS=["*"], SECRET_KEY="bench-" * 10, MIDDLEWARE=[], INSTALLED_APPS=[])',
          '',
          'from django.core.wsgi import get_wsgi_application  # noqa: E402',
          'from django.http import JsonResponse  # noqa: E402',
          'from django.urls import path  # noqa: E402',
          '',
          'urlpatterns = [path("health", lambda request: JsonResponse({"status": "ok"}))]',
          'application = get_wsgi_application()',
          '',
        ].join('\n'),
      );
      return { dir, command: '.venv/bin/gunicorn -c gunicorn.conf.py bench_bare:application' };
    case 'flask':
      writeFileSync(
        join(dir, 'bench_bare.py'),
        ['from flask import Flask', '', 'app = Flask(__name__)', '', '', '@app.get("/health")', 'def health():', '    return {"status": "ok"}', ''].join('\n'),
      );
      return { dir, command: '.venv/bin/gunicorn -c gunicorn.conf.py bench_bare:app' };
    case 'php': {
      // bin/serve serves <its folder>/../public/index.php: a sibling folder with the same
      // scripts and configuration, the project's vendor/ linked, and a bare front controller.
      const bare = `${dir}-bare`;
      mkdirSync(join(bare, 'public'), { recursive: true });
      cpSync(join(dir, 'bin'), join(bare, 'bin'), { recursive: true });
      cpSync(join(dir, 'config'), join(bare, 'config'), { recursive: true });
      symlinkSync(join(dir, 'vendor'), join(bare, 'vendor'));
      writeFileSync(
        join(bare, 'public', 'index.php'),
        [
          '<?php',
          'declare(strict_types=1);',
          "require __DIR__ . '/../vendor/autoload.php';",
          '$app = Slim\\Factory\\AppFactory::create();',
          "$app->get('/health', function ($request, $response) {",
          "    $response->getBody()->write('{\"status\":\"ok\"}');",
          "    return $response->withHeader('Content-Type', 'application/json');",
          '});',
          '$app->run();',
          '',
        ].join('\n'),
      );
      return { dir: bare, command: 'bin/serve' };
    }
  }
}
