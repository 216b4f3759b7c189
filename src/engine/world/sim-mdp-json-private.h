/* sim-mdp-json-private.h: the two readers of MDP files, for sim-mdp-json.c and the tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sim-mdp.h"

G_BEGIN_DECLS

/* The streaming reader (sim-mdp-stream.c): the MDP of a plainly valid file, read with yajl
 * into the arrays the model keeps; NULL, without a message, for any other text, which the
 * tree reader then reads again for its message. */
SimMdp *sim_mdp_stream_parse     (const char  *text,
                                  gsize        length,
                                  GPtrArray  **trajectories);
/* The same from a file read in pieces; error is set only when the file cannot be opened
 * (messages of sim_json_read_file()). */
SimMdp *sim_mdp_stream_load      (const char  *path,
                                  gint64       max_size,
                                  GPtrArray  **trajectories,
                                  GError     **error);

/* The tree reader: json-glib, after sim_json_check(); every message of the format. */
SimMdp *sim_mdp_parse_json_tree  (const char  *text,
                                  gssize       length,
                                  const char  *filename,
                                  GPtrArray  **trajectories,
                                  GError     **error);

G_END_DECLS
