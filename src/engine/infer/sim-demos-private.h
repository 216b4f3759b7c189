/* sim-demos-private.h: the two readers of demos files, for sim-demos.c and the tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sim-demos.h"

G_BEGIN_DECLS

/* The streaming reader (sim-demos-stream.c): the demos of a plainly valid file, read with
 * yajl; NULL, without a message, for any other text, which the tree reader then reads again
 * for its message. */
SimDemos *sim_demos_stream_parse (const char  *text,
                                  gsize        length);
/* The same from a file read in pieces; error is set only when the file cannot be opened
 * (messages of sim_json_read_file()). */
SimDemos *sim_demos_stream_load  (const char  *path,
                                  GError     **error);

/* The tree reader: json-glib, after sim_json_check(); every message of the format. */
SimDemos *sim_demos_parse_tree   (const char  *text,
                                  gssize       length,
                                  const char  *filename,
                                  GError     **error);

G_END_DECLS
