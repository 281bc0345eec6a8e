<?php

/**
 * `php -l` on every PHP file of the project (`composer lint` runs it before phpcs): a syntax
 * error anywhere, even in a file no test loads, fails the build.
 */

declare(strict_types=1);

$root = dirname(__DIR__);
$failed = 0;
$count = 0;
foreach (['bin', 'public', 'src', 'tests'] as $folder) {
    if (!is_dir("$root/$folder")) {
        continue;
    }
    $files = new RecursiveIteratorIterator(
        new RecursiveDirectoryIterator("$root/$folder", FilesystemIterator::SKIP_DOTS),
    );
    foreach ($files as $file) {
        if ($file instanceof SplFileInfo && $file->getExtension() === 'php') {
            $count++;
            $command = escapeshellarg(PHP_BINARY) . ' -l ' . escapeshellarg($file->getPathname()) . ' 2>&1';
            exec($command, $output, $status);
            if ($status !== 0) {
                $failed++;
                fwrite(STDERR, implode(PHP_EOL, $output) . PHP_EOL);
            }
            $output = [];
        }
    }
}
echo "php -l: $count files, $failed with syntax errors" . PHP_EOL;
exit($failed === 0 ? 0 : 1);
