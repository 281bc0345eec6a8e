<?php

declare(strict_types=1);

namespace App\Meta;

/**
 * GET /docs: the OpenAPI document as one HTML page rendered on the server. It has no script at
 * all: every operation (method, path, summary, parameters, request body, responses, security)
 * and every schema is written out as HTML, each value of the document escaped, and the page's
 * Content-Security-Policy allows its own stylesheet (by its hash) and nothing else.
 */
final class DocsPage
{
    private const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
    /** The schema keywords listed after a type, in this order. */
    private const CONSTRAINTS = [
        'format', 'minLength', 'maxLength', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum',
        'minItems', 'maxItems', 'pattern', 'default', 'examples',
    ];
    /** A `$ref` chain longer than this (a cycle) is shown as written rather than followed. */
    private const MAX_REF_DEPTH = 8;
    /** The page's only styles. The CSP allows them by their hash: no 'unsafe-inline' anywhere. */
    private const STYLE = <<<'CSS'
        body { font: 15px/1.5 system-ui, sans-serif; color: #1c1c1c;
               max-width: 72rem; margin: 0 auto; padding: 1rem 1.5rem 4rem; }
        h2 { margin-top: 2.5rem; border-bottom: 2px solid #ddd; }
        h3 { margin: 0; font-size: 1.05rem; }
        h4 { margin: 1rem 0 .3rem; font-size: .85rem; text-transform: uppercase; color: #555; }
        code { font: .9em ui-monospace, monospace; background: #f3f3f3; padding: 0 .2em; overflow-wrap: anywhere; }
        section { border: 1px solid #ddd; border-radius: 6px; margin: 1rem 0; padding: .8rem 1rem; }
        table { border-collapse: collapse; width: 100%; font-size: .9rem; }
        th, td { text-align: left; vertical-align: top; border-top: 1px solid #eee; padding: .3rem .5rem; }
        td p { margin: 0 0 .3rem; }
        .method { display: inline-block; min-width: 4.5em; font: bold .9rem ui-monospace, monospace; }
        .get { color: #0b6bcb; } .post { color: #1a7f37; } .put, .patch { color: #9a6700; } .delete { color: #cf222e; }
        .version { color: #555; }
        CSS;

    /** @var array<mixed> */
    private readonly array $document;

    /** @param array<mixed> $document a decoded OpenAPI 3.1 document */
    public function __construct(array $document)
    {
        $this->document = $document;
    }

    /** No script, no frame, nothing loaded: only the page's own inline styles, by their hash. */
    public static function contentSecurityPolicy(): string
    {
        $hash = base64_encode(hash('sha256', self::STYLE, true));
        return "default-src 'none'; style-src 'sha256-$hash'; base-uri 'none'; form-action 'none'; "
            . "frame-ancestors 'none'";
    }

    public function render(): string
    {
        $info = self::map($this->document['info'] ?? null);
        $title = self::e($info['title'] ?? 'API');
        $operations = $this->operations();
        $html = '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            . '<meta name="viewport" content="width=device-width, initial-scale=1">'
            . "<title>$title: API documentation</title><style>" . self::STYLE . '</style></head><body>'
            . "<header><h1>$title</h1><p class=\"version\">version " . self::e($info['version'] ?? '')
            . ', OpenAPI ' . self::e($this->document['openapi'] ?? '')
            . ', <a href="/openapi.json">openapi.json</a></p>'
            . self::prose($info['summary'] ?? null) . self::prose($info['description'] ?? null) . '</header>'
            . '<nav><h2>Operations</h2><ul>';
        foreach ($operations as $operation) {
            $html .= '<li><a href="#' . self::e($operation['anchor']) . '">' . self::e(strtoupper($operation['method']))
                . ' <code>' . self::e($operation['path']) . '</code></a> '
                . self::e($operation['item']['summary'] ?? '') . '</li>';
        }
        $html .= '</ul></nav>' . $this->securitySchemes();
        foreach ($this->byTag($operations) as $tag => $tagged) {
            $html .= '<h2>' . self::e($tag) . '</h2>' . self::prose($this->tagDescription((string) $tag));
            foreach ($tagged as $operation) {
                $html .= $this->operation($operation);
            }
        }
        return $html . $this->schemas() . '</body></html>';
    }

    /** @return list<array{method: string, path: string, anchor: string, item: array<mixed>, shared: array<mixed>}> */
    private function operations(): array
    {
        $operations = [];
        foreach (self::map($this->document['paths'] ?? null) as $path => $pathItem) {
            $pathItem = self::map($pathItem);
            foreach (self::METHODS as $method) {
                if (!isset($pathItem[$method])) {
                    continue;
                }
                $item = self::map($pathItem[$method]);
                $operations[] = [
                    'method' => $method,
                    'path' => (string) $path,
                    'anchor' => 'operation-' . self::text($item['operationId'] ?? "$method $path"),
                    'item' => $item,
                    // Parameters written once for every method of the path.
                    'shared' => self::map($pathItem['parameters'] ?? null),
                ];
            }
        }
        return $operations;
    }

    /**
     * Operations under their first tag, tags in the document's order, untagged ones last.
     *
     * @template T of array{item: array<mixed>}
     * @param list<T> $operations
     * @return array<list<T>>
     */
    private function byTag(array $operations): array
    {
        $groups = [];
        foreach (self::map($this->document['tags'] ?? null) as $tag) {
            $groups[self::text(self::map($tag)['name'] ?? '')] = [];
        }
        foreach ($operations as $operation) {
            $tags = self::map($operation['item']['tags'] ?? null);
            $groups[self::text($tags[0] ?? 'other')][] = $operation;
        }
        return array_filter($groups);
    }

    private function tagDescription(string $name): mixed
    {
        foreach (self::map($this->document['tags'] ?? null) as $tag) {
            $tag = self::map($tag);
            if (($tag['name'] ?? null) === $name) {
                return $tag['description'] ?? null;
            }
        }
        return null;
    }

    /**
     * @param array{method: string, path: string, anchor: string, item: array<mixed>, shared: array<mixed>} $operation
     */
    private function operation(array $operation): string
    {
        $item = $operation['item'];
        $method = $operation['method'];
        $html = '<section id="' . self::e($operation['anchor']) . '"><h3><span class="method ' . $method . '">'
            . strtoupper($method) . '</span> <code>' . self::e($operation['path']) . '</code></h3>'
            . '<p><strong>' . self::e($item['summary'] ?? '') . '</strong></p>'
            . self::prose($item['description'] ?? null)
            . '<h4>Security</h4>' . $this->security($item);
        $parameters = [...$operation['shared'], ...self::map($item['parameters'] ?? null)];
        if ($parameters !== []) {
            $html .= '<h4>Parameters</h4><table><tr><th>name</th><th>in</th><th>required</th><th>schema</th>'
                . '<th>description</th></tr>';
            foreach ($parameters as $parameter) {
                $parameter = $this->resolve($parameter);
                $html .= '<tr><td><code>' . self::e($parameter['name'] ?? '') . '</code></td>'
                    . '<td>' . self::e($parameter['in'] ?? '') . '</td>'
                    . '<td>' . self::yesNo($parameter['required'] ?? false) . '</td>'
                    . '<td>' . $this->schema($parameter['schema'] ?? null) . '</td>'
                    . '<td>' . self::prose($parameter['description'] ?? null) . '</td></tr>';
            }
            $html .= '</table>';
        }
        if (isset($item['requestBody'])) {
            $body = $this->resolve($item['requestBody']);
            $html .= '<h4>Request body</h4><p>' . (($body['required'] ?? false) === true ? 'required' : 'optional')
                . '</p>' . self::prose($body['description'] ?? null) . $this->content($body['content'] ?? null, true);
        }
        $html .= '<h4>Responses</h4><table><tr><th>status</th><th>description</th><th>body</th><th>headers</th></tr>';
        foreach (self::map($item['responses'] ?? null) as $status => $response) {
            $response = $this->resolve($response);
            $headers = [];
            foreach (self::map($response['headers'] ?? null) as $name => $header) {
                $headers[] = '<code>' . self::e($name) . '</code>: '
                    . self::inline($this->resolve($header)['description'] ?? '');
            }
            $html .= '<tr><td><code>' . self::e($status) . '</code></td>'
                . '<td>' . self::prose($response['description'] ?? null) . '</td>'
                . '<td>' . $this->content($response['content'] ?? null) . '</td>'
                . '<td>' . implode('<br>', $headers) . '</td></tr>';
        }
        return $html . '</table></section>';
    }

    /** @param array<mixed> $item */
    private function security(array $item): string
    {
        // An operation's own `security`, even an empty one, replaces the document's.
        $requirements = self::map($item['security'] ?? $this->document['security'] ?? null);
        if ($requirements === []) {
            return '<p>None: no credentials needed.</p>';
        }
        $alternatives = [];
        foreach ($requirements as $requirement) {
            $names = array_map(
                fn (int|string $name): string => '<a href="#security-' . self::e($name) . '"><code>'
                    . self::e($name) . '</code></a> (' . self::e($this->schemeLabel((string) $name)) . ')',
                array_keys(self::map($requirement)),
            );
            $alternatives[] = $names === [] ? 'none' : implode(' and ', $names);
        }
        return '<p>' . implode(' or ', $alternatives) . '</p>';
    }

    private function schemeLabel(string $name): string
    {
        $components = self::map($this->document['components'] ?? null);
        $scheme = self::map(self::map($components['securitySchemes'] ?? null)[$name] ?? null);
        if (($scheme['type'] ?? null) === 'http' && strtolower(self::text($scheme['scheme'] ?? '')) === 'bearer') {
            return 'Authorization: Bearer ' . self::text($scheme['bearerFormat'] ?? 'token');
        }
        return self::text($scheme['type'] ?? 'unknown scheme');
    }

    private function securitySchemes(): string
    {
        $components = self::map($this->document['components'] ?? null);
        $html = '';
        foreach (self::map($components['securitySchemes'] ?? null) as $name => $scheme) {
            $html .= '<section id="security-' . self::e($name) . '"><h3><code>' . self::e($name) . '</code>: '
                . self::e($this->schemeLabel((string) $name)) . '</h3>'
                . self::prose(self::map($scheme)['description'] ?? null) . '</section>';
        }
        return $html === '' ? '' : "<h2>Authentication</h2>$html";
    }

    /**
     * A request or response body: each media type with its schema; with `$expand`, a schema
     * named by `$ref` is also written out in place (what a request must send, next to it).
     */
    private function content(mixed $content, bool $expand = false): string
    {
        $html = '';
        foreach (self::map($content) as $mediaType => $media) {
            $schema = self::map($media)['schema'] ?? null;
            $html .= '<p><code>' . self::e($mediaType) . '</code></p>' . $this->schema($schema);
            if ($expand && isset(self::map($schema)['$ref'])) {
                $html .= $this->schema($this->resolve($schema));
            }
        }
        return $html;
    }

    private function schemas(): string
    {
        $components = self::map($this->document['components'] ?? null);
        $html = '';
        foreach (self::map($components['schemas'] ?? null) as $name => $schema) {
            $html .= '<section id="schema-' . self::e($name) . '"><h3><code>' . self::e($name) . '</code></h3>'
                . $this->schema($schema) . '</section>';
        }
        return $html === '' ? '' : "<h2>Schemas</h2>$html";
    }

    /**
     * A schema in a few words: a link for a `$ref` to a component schema, else its type and
     * constraints, then a table of its properties when it has some.
     */
    private function schema(mixed $schema): string
    {
        $schema = self::map($schema);
        $description = self::prose($schema['description'] ?? null);
        if (isset($schema['$ref'])) {
            $ref = self::text($schema['$ref']);
            $name = substr($ref, strlen('#/components/schemas/'));
            $link = str_starts_with($ref, '#/components/schemas/')
                ? '<a href="#schema-' . self::e($name) . '"><code>' . self::e($name) . '</code></a>'
                : '<code>' . self::e($ref) . '</code>';
            // A plain value (a string's lengths, a date's format) is shown in place too.
            $target = $this->resolve($schema);
            $plain = array_intersect(['$ref', 'properties', 'items', 'allOf', 'oneOf', 'anyOf'], array_keys($target));
            return "<p>$link</p>" . ($plain === [] ? $this->schema($target) : '') . $description;
        }
        foreach (['allOf' => 'all of', 'oneOf' => 'one of', 'anyOf' => 'any of'] as $keyword => $label) {
            if (isset($schema[$keyword])) {
                $parts = array_map(
                    fn (mixed $part): string => '<li>' . $this->schema($part) . '</li>',
                    self::map($schema[$keyword]),
                );
                return "<p>$label:</p><ul>" . implode('', $parts) . "</ul>$description";
            }
        }
        $words = [];
        if (array_key_exists('const', $schema)) {
            $words[] = 'always <code>' . self::e(self::json($schema['const'])) . '</code>';
        } elseif (isset($schema['enum'])) {
            $values = array_map(
                static fn (mixed $value): string => '<code>' . self::e(self::json($value)) . '</code>',
                self::map($schema['enum']),
            );
            $words[] = 'one of ' . implode(', ', $values);
        } elseif (isset($schema['type'])) {
            $types = is_array($schema['type']) ? $schema['type'] : [$schema['type']];
            $words[] = '<em>' . self::e(implode(' or ', array_map(self::text(...), $types))) . '</em>';
        }
        foreach (self::CONSTRAINTS as $keyword) {
            if (array_key_exists($keyword, $schema)) {
                $words[] = "$keyword <code>" . self::e(self::json($schema[$keyword])) . '</code>';
            }
        }
        foreach (['readOnly' => 'read-only', 'writeOnly' => 'write-only'] as $keyword => $label) {
            if (($schema[$keyword] ?? false) === true) {
                $words[] = $label;
            }
        }
        if (($schema['additionalProperties'] ?? true) === false) {
            $words[] = 'no other properties';
        }
        $html = ($words === [] ? '' : '<p>' . implode(', ', $words) . '</p>') . $description;
        if (isset($schema['items'])) {
            $html .= '<p>items:</p>' . $this->schema($schema['items']);
        }
        if (isset($schema['properties'])) {
            $required = self::map($schema['required'] ?? null);
            $html .= '<table><tr><th>property</th><th>required</th><th>schema</th></tr>';
            foreach (self::map($schema['properties']) as $property => $propertySchema) {
                $html .= '<tr><td><code>' . self::e($property) . '</code></td>'
                    . '<td>' . self::yesNo(in_array($property, $required, true)) . '</td>'
                    . '<td>' . $this->schema($propertySchema) . '</td></tr>';
            }
            $html .= '</table>';
        }
        return $html;
    }

    /**
     * What a `$ref` inside this document names (followed through chains), or the object itself.
     *
     * @return array<mixed>
     */
    private function resolve(mixed $object): array
    {
        $object = self::map($object);
        for ($depth = 0; isset($object['$ref']) && $depth < self::MAX_REF_DEPTH; $depth++) {
            $ref = self::text($object['$ref']);
            if (!str_starts_with($ref, '#/')) {
                break;
            }
            $target = $this->document;
            foreach (explode('/', substr($ref, 2)) as $segment) {
                $target = self::map($target)[str_replace(['~1', '~0'], ['/', '~'], $segment)] ?? null;
            }
            if (!is_array($target)) {
                break;
            }
            $object = $target;
        }
        return $object;
    }

    /** @return array<mixed> `$value` when it is an array, else an empty one: the document is read, not trusted. */
    private static function map(mixed $value): array
    {
        return is_array($value) ? $value : [];
    }

    private static function text(mixed $value): string
    {
        return is_scalar($value) ? (string) $value : self::json($value);
    }

    private static function json(mixed $value): string
    {
        $flags = JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE;
        return is_string($value) ? $value : (string) json_encode($value, $flags);
    }

    private static function yesNo(mixed $value): string
    {
        return $value === true ? 'yes' : 'no';
    }

    /** Text for HTML, attribute values included: every value from the document goes through here. */
    private static function e(mixed $value): string
    {
        return htmlspecialchars(self::text($value), ENT_QUOTES | ENT_SUBSTITUTE | ENT_HTML5, 'UTF-8');
    }

    /** A description: paragraphs at blank lines, `code` in backticks, all of it escaped first. */
    private static function prose(mixed $text): string
    {
        $text = trim(is_string($text) ? $text : '');
        if ($text === '') {
            return '';
        }
        $html = '';
        foreach (preg_split('/\n\s*\n/', $text) ?: [] as $paragraph) {
            $html .= '<p>' . self::inline($paragraph) . '</p>';
        }
        return $html;
    }

    /** One line of a description: `code` in backticks, escaped first. */
    private static function inline(mixed $text): string
    {
        return (string) preg_replace('/`([^`]+)`/', '<code>$1</code>', self::e($text));
    }
}
