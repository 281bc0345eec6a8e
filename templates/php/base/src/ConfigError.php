<?php

declare(strict_types=1);

namespace App;

/** A setting is missing or invalid. The message names the environment variable. */
final class ConfigError extends \RuntimeException
{
}
