/* sim-training.h: training: base optimizers, the training loop, the worker thread,
 * snapshots, experiment files, history CSV, inference during training. It may include every
 * other room. This header includes every public header of the room.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sim-cem.h"
#include "sim-comparison.h"
#include "sim-experiment.h"
#include "sim-history-csv.h"
#include "sim-keys-run.h"
#include "sim-optimizer.h"
#include "sim-runner.h"
#include "sim-snapshot.h"
#include "sim-sweep.h"
#include "sim-train-inference.h"
#include "sim-train.h"
#include "sim-trial.h"
