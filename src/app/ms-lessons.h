/* ms-lessons.h: guided lessons, each a short sequence of steps that set up the demo
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "ms-dashboard.h"
#include "sim.h"
#include "sim-snapshot.h"

G_BEGIN_DECLS

/* For MsLessonStep.diversity: keep the value the preset sets. */
#define MS_LESSON_KEEP (-1)
/* For MsLessonStep.highlight: draw attention to no part of the dashboard. */
#define MS_LESSON_NO_HIGHLIGHT (-1)

typedef struct
{
  const char *title;        /* translatable (N_), a short imperative */
  const char *text;         /* translatable (N_), what to do and what to look for */

  /* The run this step shows. With preset NULL the step keeps the run of the step before it
   * going; otherwise the preset is applied, then diversity and seed, and the run restarts
   * unless it already has exactly this configuration. */
  const char *preset;       /* an id of ms-presets.c, or NULL */
  int diversity;            /* percent, or MS_LESSON_KEEP */
  guint32 seed;             /* 0 keeps the seed */

  SimShownKind shown;       /* the level shown in the dashboard */
  gboolean play;            /* TRUE plays (a finished run stays finished), FALSE pauses */
  double speed;             /* iterations per second; 0 as fast as possible */
  int highlight;            /* an MsDashboardPart, or MS_LESSON_NO_HIGHLIGHT */
  gboolean comparison;      /* shows the lesson's comparison of agents in the dashboard's
                             * place */
  gboolean sweep;           /* opens the Sweep window on this step's run and runs the diversity
                             * sweep MS_LESSON_SWEEP_VALUES × MS_LESSON_SWEEP_SEEDS there */
} MsLessonStep;

/* The sweep of a step with sweep set: about a minute at 8×8 on a two-core computer. */
#define MS_LESSON_SWEEP_VALUES "0, 5, 20, 100"
#define MS_LESSON_SWEEP_SEEDS  5

/* An agent of a lesson's comparison: the run of the lesson's first step with this agent. */
typedef struct
{
  const char *name;         /* translatable (N_), "Short-sighted planner" */
  const char *description;  /* translatable (N_), a few words under the name */
  SimAgentKind agent;
  int planning_depth;       /* planner: 0 the whole episode, 1 one step ahead */
} MsLessonAgent;

typedef struct
{
  const char *id;           /* stable, the target of win.lesson */
  const char *title;        /* translatable (N_), shown in the menu and the lesson bar */
  const MsLessonStep *steps;
  guint n_steps;
  /* Agents trained in the background from the lesson's start, on the same levels and seed,
   * for the step that compares them; none for most lessons. */
  const MsLessonAgent *agents;
  guint n_agents;
} MsLesson;

guint           ms_lessons_get_n      (void);
const MsLesson *ms_lessons_get        (guint           index);
/* NULL for an unknown id. */
const MsLesson *ms_lessons_lookup     (const char     *id);
/* Fills config with the run that step index shows: the configuration changes of steps 0 to
 * index applied in order on top of config (the run the lesson started from). */
void            ms_lesson_get_config  (const MsLesson *lesson,
                                       guint           index,
                                       SimConfig      *config);
/* Fills config with the run of agent index of the lesson's comparison: the run of its first
 * step (on top of config, as above) with that agent and planning depth. */
void            ms_lesson_get_agent_config (const MsLesson *lesson,
                                            guint           index,
                                            SimConfig      *config);

G_END_DECLS
