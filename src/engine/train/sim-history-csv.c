/* sim-history-csv.c: a run's metric history as CSV
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "sim-history-csv.h"

static void
append_number (GString *out,
               double   value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append_c (out, ',');
  if (isfinite (value))
    g_string_append (out, g_ascii_formatd (buf, sizeof buf, "%.10g", value));
}

char *
sim_history_csv_new (SimTrain *train)
{
  int nf, n;
  const SimTrainRecord *history;
  GString *out;
  gboolean keys;

  g_return_val_if_fail (train != NULL, NULL);

  nf = sim_train_get_n_features (train);
  history = sim_train_get_history (train, &n);
  out = g_string_new ("iteration,train_target,test_target,test_proxy,train_proxy,"
                      "test_lava,train_return,test_return,fitness,"
                      "predicted_test_target,predicted_test_proxy");
  for (int f = 0; f < nf; f++)
    g_string_append_printf (out, ",inferred_%s", sim_train_get_feature_name (train, f));
  keys = sim_train_get_keys_run (train) != NULL;
  if (keys)
    g_string_append (out, ",train_keys,train_chests,test_keys,test_chests,inferred_angle,"
                          "inferred_angle_sd");
  g_string_append_c (out, '\n');
  for (int i = 0; i < n; i++)
    {
      const SimTrainRecord *r = &history[i];

      g_string_append_printf (out, "%d", r->iteration);
      append_number (out, r->train_target);
      append_number (out, r->test_target);
      append_number (out, r->test_proxy);
      append_number (out, r->train_proxy);
      append_number (out, r->test_lava);
      append_number (out, r->train_return);
      append_number (out, r->test_return);
      append_number (out, r->fitness);
      append_number (out, r->has_inference ? r->predicted_target : NAN);
      append_number (out, r->has_inference ? r->predicted_proxy : NAN);
      for (int f = 0; f < nf; f++)
        append_number (out, r->has_inference ? r->inferred[f] : NAN);
      if (keys)
        {
          append_number (out, r->train_keys);
          append_number (out, r->train_chests);
          append_number (out, r->test_keys);
          append_number (out, r->test_chests);
          append_number (out, r->has_inference ? r->inferred_angle : NAN);
          append_number (out, r->has_inference ? r->inferred_angle_sd : NAN);
        }
      g_string_append_c (out, '\n');
    }
  return g_string_free (out, FALSE);
}
