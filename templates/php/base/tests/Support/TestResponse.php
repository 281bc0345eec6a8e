<?php

declare(strict_types=1);

namespace App\Tests\Support;

use Psr\Http\Message\ResponseInterface;

/** A response with its body read once. */
final class TestResponse
{
    public readonly int $status;
    public readonly string $text;

    public function __construct(public readonly ResponseInterface $response)
    {
        $this->status = $response->getStatusCode();
        $this->text = (string) $response->getBody();
    }

    public function header(string $name): string
    {
        return $this->response->getHeaderLine($name);
    }

    /** The JSON body, decoded to arrays. */
    public function json(): mixed
    {
        return json_decode($this->text, true, 512, JSON_THROW_ON_ERROR);
    }

    /** The fields named in a 422 problem's `errors`. */
    /** @return list<string> */
    public function errorFields(): array
    {
        $body = $this->json();
        return array_map(static fn (array $error): string => (string) $error['field'], $body['errors'] ?? []);
    }
}
