/* sim-file.h: writing output files safely (every saver and export goes through here)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * sim_file_write:
 * @path: where to write
 * @data: the bytes
 * @len: how many, or -1 when @data is a nul-terminated string
 * @error: a #G_IO_ERROR on failure
 *
 * Writes @data to @path the way a careful Unix tool does (sim-file.c says how, case by case):
 * a regular file is replaced atomically and keeps its permission bits and owner, a symbolic
 * link is followed and survives, a device, FIFO or socket is written in place, and a folder
 * is refused. `/dev/stdout`, `/dev/stderr`, `/dev/fd/N` and `/proc/self/fd/N` write to that
 * descriptor of this process.
 *
 * Returns: TRUE when every byte was written
 */
gboolean sim_file_write (const char  *path,
                         const char  *data,
                         gssize       len,
                         GError     **error);

/**
 * sim_file_check_output:
 * @path: a file that is going to be written
 * @error: a #G_IO_ERROR saying why it cannot be
 *
 * Checks, without writing anything or opening @path, that sim_file_write() can write @path:
 * it is not a folder, its folder exists, and this process may write it (or create it there).
 * Commands call this before they start any work, so that a mistyped output path costs
 * nothing.
 *
 * Returns: TRUE when @path looks writable
 */
gboolean sim_file_check_output (const char  *path,
                                GError     **error);

/**
 * sim_file_same:
 * @a: a path
 * @b: another path
 *
 * Whether @a and @b name the same file: the same device and inode where both exist (so hard
 * links, symbolic links and `/dev/stdout` redirected to a file count), the same canonical path
 * (after following symbolic links) where neither does.
 *
 * Returns: TRUE when they are the same file
 */
gboolean sim_file_same (const char *a,
                        const char *b);

/**
 * sim_file_is_stream:
 * @path: a path
 *
 * Whether sim_file_write() writes @path as a stream (in place, appending to what went before,
 * as for a device, FIFO, socket or one of this process's descriptors) rather than replacing a
 * file. Two outputs may share a stream, never a file.
 *
 * Returns: TRUE for a stream
 */
gboolean sim_file_is_stream (const char *path);

G_END_DECLS
