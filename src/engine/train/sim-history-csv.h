/* sim-history-csv.h: a run's metric history as CSV (mesascope-cli train --csv and the app)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include "sim-train.h"

G_BEGIN_DECLS

/**
 * sim_history_csv_new:
 * @train: a training run
 *
 * The run's history as CSV: a header row (`iteration,train_target,test_target,test_proxy,
 * train_proxy,test_lava,train_return,test_return,fitness,predicted_test_target,
 * predicted_test_proxy,inferred_<feature>…`, and for keys-chests `train_keys,train_chests,
 * test_keys,test_chests,inferred_angle,inferred_angle_sd`), then one row per iteration done.
 * Numbers use a '.' decimal point whatever the locale; a value that does not exist (no
 * inference on that iteration, the Q-learner's fitness) is an empty field.
 *
 * Returns: (transfer full): the text, ending in a newline
 */
char *sim_history_csv_new (SimTrain *train);

G_END_DECLS
