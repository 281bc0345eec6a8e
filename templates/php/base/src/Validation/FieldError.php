<?php

declare(strict_types=1);

namespace App\Validation;

/** One entry of a 422 problem's `errors`. */
final class FieldError
{
    public function __construct(public readonly string $field, public readonly string $message)
    {
    }

    /** @return array{field: string, message: string} */
    public function toArray(): array
    {
        return ['field' => $this->field, 'message' => $this->message];
    }
}
