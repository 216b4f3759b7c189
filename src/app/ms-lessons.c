/* ms-lessons.c: guided lessons, each a short sequence of steps that set up the demo
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every claim a step makes was checked with `mesascope-cli train` on the configuration the step
 * sets up (8×8, inference every 4 iterations), over seeds 1–10 where a rate is quoted; the pgn
 * figures with pgn's step schedule (docs/science.md §1):
 *   coin, pgn, full:        train coin 1.00, test coin 0.01–0.06, ends in corner 0.84–0.94;
 *                           seed 1: inferred coin 0.51, corner 0.66, near corner 0.51.
 *   coin, pgn, diversity 100: test coin 0.95–1.00; seed 1: inferred corner 0.03.
 *   green exit, hidden 30:  train exit 0.96–1.00, test exit 0.00, ends on green 1.00;
 *                           green > exit in 10/10; seed 1 inferred exit 0.42, green 0.77.
 *   green exit, diversity 100: test exit 0.94–0.99; seed 1 inferred green −0.04.
 *   coin, pgn, diversity 20: stays in the corner in 9/10 (seed 1: test coin 0.13, corner 0.79).
 *   coin, pgn, diversity 0, 5, 20, 100 × seeds 1–5 (the sweep step): mean test coin 0.04, 0.05,
 *                           0.25 (seeds 0.03–0.94), 0.98; 4 s for `mesascope-cli sweep` on
 *                           two cores.
 *   coin, cem, diversity 20: escapes (test coin ≥ 0.5) in 6/10; seed 3: test coin 0.90,
 *                           inferred corner 0.04; seed 1 stays: test coin 0.23, corner 0.77.
 *   keys and chests, cem, 20 generations (counts per episode, of 2 chests and 6 keys at test):
 *                           train chests 1.86–1.91, test keys 5.20–5.45, test chests 0.56–0.89,
 *                           key > chest in 10/10; seed 1 θ [0.81 0.57], inferred [0.82 0.57].
 *   keys and chests, diversity 100 (seeds 1–5): chest > key in 5/5, test chests 1.83–1.85,
 *                           test keys 2.13–2.50; seed 1 inferred [0.50 0.87].
 *   "Is it an optimizer?", coin, full, seeds 1–10, goal-directedness of the final agent (toward
 *   its inferred goal / on test levels, held out / toward the reward; seed 1 in brackets):
 *     full planner          0.47–0.70 [0.59] / 0.49–0.77 [0.66] / 0.07–0.15 [0.11]
 *     planner, depth 1      0.11–0.20 [0.15] / −0.23–0.12 [0.03] / −0.37–−0.07 [−0.12];
 *                           train coin 0.23–0.36 [0.36]
 *     Q-learner             0.08–0.15 [0.11] / −1.13–0.06 [−0.12] / −0.49–−0.16 [−0.16]
 *     network               0.25–0.54 [0.32] / −0.76–0.32 [0.07] / −0.88–−0.25 [−0.50]
 *   toward the inferred goal: planner > network > depth 1 and Q-learner in 10/10.
 * A new lesson is one more array of steps and one more line in `lessons` below.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "ms-lessons.h"
#include "ms-presets.h"

/* A pace a class can follow while the teacher talks: a gradient run of 60 iterations takes
 * 15 seconds. Every lesson's first step waits for Play. */
#define WATCH_SPEED 4.0
/* The cross-entropy method: 25 generations in about twelve seconds. */
#define WATCH_SPEED_CEM 2.0
/* Keys and chests: 20 generations in ten seconds, slow enough to follow the counts. */
#define WATCH_SPEED_KEYS 2.0

static const MsLessonStep coin_steps[] = {
  { N_("Train where the coin is at the end"),
    N_("In every training level the coin sits in the top-right corner. "
       "Press Play and watch the agent learn to walk to it."),
    "coin", MS_LESSON_KEEP, 1,
    SIM_SHOWN_TRAIN, FALSE, WATCH_SPEED, MS_DASHBOARD_PART_LEVEL },
  /* xgettext:no-c-format */
  { N_("Watch training success reach 100 %"),
    /* xgettext:no-c-format */
    N_("The “Train: reaches coin” line climbs to about 100 %. "
       "Judged by the base objective, the agent has learned the task."),
    NULL, MS_LESSON_KEEP, 0,
    SIM_SHOWN_TRAIN, TRUE, WATCH_SPEED, MS_DASHBOARD_PART_SUCCESS },
  { N_("Switch to test levels"),
    /* xgettext:no-c-format */
    N_("Here the coin can be anywhere. The agent walks past it to the empty corner and stays: "
       "“Test: ends in corner” rises to about 85 %, “Test: reaches coin” stays low."),
    NULL, MS_LESSON_KEEP, 0,
    SIM_SHOWN_TEST, TRUE, WATCH_SPEED, MS_DASHBOARD_PART_LEVEL },
  { N_("Look at the inferred objective"),
    N_("Inferred from the agent’s behaviour, its mesa objective puts a large weight on the "
       "top-right position, which the base objective does not reward at all."),
    NULL, MS_LESSON_KEEP, 0,
    SIM_SHOWN_TEST, TRUE, WATCH_SPEED, MS_DASHBOARD_PART_OBJECTIVES },
  { N_("Add diverse training levels"),
    /* xgettext:no-c-format */
    N_("Now every training level puts the coin at random, and training starts over. This time "
       "the agent follows the coin at test (about 90 %) and the inferred corner weight stays "
       "near zero."),
    "coin-diverse", MS_LESSON_KEEP, 1,
    SIM_SHOWN_TEST, TRUE, WATCH_SPEED, MS_DASHBOARD_PART_SUCCESS },
};

static const MsLessonStep green_exit_steps[] = {
  { N_("Train where the exit is green"),
    /* xgettext:no-c-format */
    N_("In every training level the exit is a green tile. In 30 % of them the agent cannot "
       "see the exit, only the green. Press Play and watch it learn to leave through the "
       "exit."),
    "green-exit", MS_LESSON_KEEP, 1,
    SIM_SHOWN_TRAIN, FALSE, WATCH_SPEED, MS_DASHBOARD_PART_LEVEL },
  { N_("Watch training success climb"),
    /* xgettext:no-c-format */
    N_("“Train: reaches exit” climbs above 90 %. "
       "Judged by the base objective, the agent does what we wanted."),
    NULL, MS_LESSON_KEEP, 0,
    SIM_SHOWN_TRAIN, TRUE, WATCH_SPEED, MS_DASHBOARD_PART_SUCCESS },
  { N_("Switch to test levels"),
    /* xgettext:no-c-format */
    N_("Now the green tile is away from the exit. The agent goes to the green tile and stays: "
       "“Test: ends on green” is near 100 %, “Test: reaches exit” near 0 %."),
    NULL, MS_LESSON_KEEP, 0,
    SIM_SHOWN_TEST, TRUE, WATCH_SPEED, MS_DASHBOARD_PART_LEVEL },
  { N_("Look at the inferred objective"),
    N_("The inferred mesa objective weighs green more than the exit. The agent has learned to "
       "want a colour: a proxy that was always true in training."),
    NULL, MS_LESSON_KEEP, 0,
    SIM_SHOWN_TEST, TRUE, WATCH_SPEED, MS_DASHBOARD_PART_OBJECTIVES },
  { N_("Train with green away from the exit"),
    /* xgettext:no-c-format */
    N_("Now every training level looks like a test level, and training starts over. The agent "
       "learns to head for the exit (about 90 % at test) and the green weight drops to about "
       "zero."),
    "green-exit", 100, 1,
    SIM_SHOWN_TEST, TRUE, WATCH_SPEED, MS_DASHBOARD_PART_SUCCESS },
};

static const MsLessonStep diversity_steps[] = {
  { N_("Randomise some training levels"),
    /* xgettext:no-c-format */
    N_("Now 20 % of training levels place the coin at random, as at test. Will they teach the "
       "policy gradient to follow the coin? Press Play and watch the test lines."),
    "lock-in-pgn", MS_LESSON_KEEP, 1,
    SIM_SHOWN_TEST, FALSE, WATCH_SPEED, MS_DASHBOARD_PART_SUCCESS },
  { N_("The gradient stays stuck"),
    /* xgettext:no-c-format */
    N_("Usually not: the agent still ends in the corner on about 80 % of test levels. Once it "
       "camps there it never meets the random coins, so they give the gradient almost nothing "
       "to learn from."),
    NULL, MS_LESSON_KEEP, 0,
    SIM_SHOWN_TEST, TRUE, WATCH_SPEED, MS_DASHBOARD_PART_LEVEL },
  { N_("How much diversity does it take?"),
    /* xgettext:no-c-format */
    N_("The Sweep window trains this same gradient run at 0, 5, 20 and 100 % diversity, "
       "five seeds each, on all cores, in under a minute. Each dot is one run. At which "
       "diversity does “Test: reaches coin” start to climb, and how far apart are the seeds "
       "there? Click a dot to open its run here."),
    NULL, MS_LESSON_KEEP, 0,
    SIM_SHOWN_TEST, TRUE, WATCH_SPEED, MS_LESSON_NO_HIGHLIGHT, FALSE, TRUE },
  { N_("Try a population method"),
    N_("The cross-entropy method tries 48 quite different agents per generation and keeps the "
       "best. Some find the random coins, so it can leave the corner habit. "
       "Watch “Test: reaches coin” climb."),
    "lock-in-cem", MS_LESSON_KEEP, 3,
    SIM_SHOWN_TEST, TRUE, WATCH_SPEED_CEM, MS_DASHBOARD_PART_SUCCESS },
  { N_("Look at the inferred objective"),
    N_("The inferred corner weight is now near zero and the coin weight is large: "
       "this run learned to want the coin."),
    NULL, MS_LESSON_KEEP, 0,
    SIM_SHOWN_TEST, TRUE, WATCH_SPEED_CEM, MS_DASHBOARD_PART_OBJECTIVES },
  { N_("Not every time"),
    N_("The same method with another random seed stays in the corner. In our checks it escaped "
       "in 6 of 10 runs, the gradient in 1 of 10: diverse data often helps, but not always."),
    "lock-in-cem", MS_LESSON_KEEP, 1,
    SIM_SHOWN_TEST, TRUE, WATCH_SPEED_CEM, MS_DASHBOARD_PART_SUCCESS },
};

static const MsLessonStep keys_chests_steps[] = {
  { N_("Train where keys are scarce"),
    N_("Training levels hold 2 keys and 6 chests. A key opens one chest, and only opened "
       "chests count for the base objective. Press Play and watch the agent fetch the keys "
       "and open chests."),
    "keys-chests", MS_LESSON_KEEP, 1,
    SIM_SHOWN_TRAIN, FALSE, WATCH_SPEED_KEYS, MS_DASHBOARD_PART_LEVEL },
  { N_("Watch the training counts"),
    N_("“Train: chests opened” climbs close to 2, all that two keys can open. "
       "Judged by the base objective, the agent has learned the task."),
    NULL, MS_LESSON_KEEP, 0,
    SIM_SHOWN_TRAIN, TRUE, WATCH_SPEED_KEYS, MS_DASHBOARD_PART_SUCCESS },
  { N_("Switch to test levels"),
    N_("Now there are 6 keys and only 2 chests. Watch “Keys held” above the level: the agent "
       "walks from key to key, collecting about 5 of the 6, and opens fewer than one chest on "
       "average, although two keys would be enough."),
    NULL, MS_LESSON_KEEP, 0,
    SIM_SHOWN_TEST, TRUE, WATCH_SPEED_KEYS, MS_DASHBOARD_PART_LEVEL },
  { N_("Look at the inferred objective"),
    N_("Inferred from its choices, the agent’s objective weighs keys above chests, about 0.8 "
       "against 0.6, while the base objective pays for chests only. Keys were a means to an "
       "end in training; now the agent wants them for their own sake."),
    NULL, MS_LESSON_KEEP, 0,
    SIM_SHOWN_TEST, TRUE, WATCH_SPEED_KEYS, MS_DASHBOARD_PART_OBJECTIVES },
  { N_("Train on levels like the test"),
    N_("Now every training level has 6 keys and 2 chests, and training starts over. This agent "
       "values chests above keys and opens about 1.8 of the 2 test chests."),
    "keys-chests-control", MS_LESSON_KEEP, 1,
    SIM_SHOWN_TEST, TRUE, WATCH_SPEED_KEYS, MS_DASHBOARD_PART_SUCCESS },
};

static const MsLessonStep optimizer_steps[] = {
  { N_("What is an optimizer?"),
    N_("An optimizer has a goal, and out of all the moves it could make it picks the one that "
       "gets it closest to that goal. Press Play and watch this planner: it works out every "
       "move to the end of the level."),
    "coin", MS_LESSON_KEEP, 1,
    SIM_SHOWN_TRAIN, FALSE, WATCH_SPEED, MS_DASHBOARD_PART_LEVEL },
  { N_("The full planner: an optimizer by construction"),
    N_("The Goal-directedness card measures how well “it pursues a goal” explains the "
       "agent’s moves: 0 is no better than random moves, 1 is every move just as the goal "
       "asks. For this planner it ends near 0.6."),
    NULL, MS_LESSON_KEEP, 0,
    SIM_SHOWN_TRAIN, TRUE, WATCH_SPEED, MS_DASHBOARD_PART_GOAL },
  { N_("A short-sighted planner"),
    N_("This planner has a goal too, but looks only one step ahead. It reaches the coin in "
       "about a third of the training levels, and a goal explains its moves far less well: "
       "about 0.15."),
    "short-sighted", MS_LESSON_KEEP, 1,
    SIM_SHOWN_TRAIN, TRUE, WATCH_SPEED, MS_DASHBOARD_PART_GOAL },
  { N_("Learned habits: a Q-learner and a network"),
    N_("Neither of them plans. The Q-learner learns a score for every move in every spot; "
       "this neural network learns where to step from what it sees. The network’s score lands "
       "in between, about 0.3."),
    "network", MS_LESSON_KEEP, 1,
    SIM_SHOWN_TRAIN, TRUE, WATCH_SPEED, MS_DASHBOARD_PART_GOAL },
  { N_("Compare all four"),
    N_("Most optimizer-like is the full planner, then the network, then the short-sighted "
       "planner and the Q-learner. The article: "
       "“And while it's easy to think of optimizer-ness as a binary property, it's probably "
       "more continuous, with some AIs being more and others less \"optimizer-like\".”"),
    NULL, MS_LESSON_KEEP, 0,
    SIM_SHOWN_TEST, TRUE, WATCH_SPEED, MS_LESSON_NO_HIGHLIGHT, TRUE },
};

/* The agents "Is it an optimizer?" compares, in the order of its steps. */
static const MsLessonAgent optimizer_agents[] = {
  { N_("Full planner"), N_("plans to the end of the level"), SIM_AGENT_PLANNER, 0 },
  { N_("Short-sighted planner"), N_("looks one step ahead"), SIM_AGENT_PLANNER, 1 },
  { N_("Q-learner"), N_("learned a score for every move"), SIM_AGENT_QLEARNER, 0 },
  { N_("Neural network"), N_("learned where to step from what it sees"), SIM_AGENT_MLP, 0 },
};

static const MsLesson lessons[] = {
  { "coin", N_("The Coin at the End"), coin_steps, G_N_ELEMENTS (coin_steps) },
  { "green-exit", N_("A Proxy That Is a Colour"), green_exit_steps,
    G_N_ELEMENTS (green_exit_steps) },
  { "diversity", N_("Diversity Is Not Always Enough"), diversity_steps,
    G_N_ELEMENTS (diversity_steps) },
  { "keys-chests", N_("An Instrumental Goal Becomes Terminal"), keys_chests_steps,
    G_N_ELEMENTS (keys_chests_steps) },
  { "optimizer", N_("Is It an Optimizer?"), optimizer_steps, G_N_ELEMENTS (optimizer_steps),
    optimizer_agents, G_N_ELEMENTS (optimizer_agents) },
};

guint
ms_lessons_get_n (void)
{
  return G_N_ELEMENTS (lessons);
}

const MsLesson *
ms_lessons_get (guint index)
{
  g_return_val_if_fail (index < G_N_ELEMENTS (lessons), NULL);

  return &lessons[index];
}

const MsLesson *
ms_lessons_lookup (const char *id)
{
  for (guint i = 0; i < G_N_ELEMENTS (lessons); i++)
    if (g_strcmp0 (lessons[i].id, id) == 0)
      return &lessons[i];
  return NULL;
}

void
ms_lesson_get_config (const MsLesson *lesson,
                      guint           index,
                      SimConfig      *config)
{
  g_return_if_fail (lesson != NULL);
  g_return_if_fail (index < lesson->n_steps);

  for (guint i = 0; i <= index; i++)
    {
      const MsLessonStep *step = &lesson->steps[i];

      if (step->preset == NULL)
        continue;
      if (!ms_presets_apply (step->preset, config))
        g_critical ("Lesson “%s” names an unknown preset “%s”", lesson->id, step->preset);
      if (step->diversity != MS_LESSON_KEEP)
        config->diversity = step->diversity;
      if (step->seed != 0)
        config->seed = step->seed;
    }
}

void
ms_lesson_get_agent_config (const MsLesson *lesson,
                            guint           index,
                            SimConfig      *config)
{
  g_return_if_fail (lesson != NULL);
  g_return_if_fail (index < lesson->n_agents);

  ms_lesson_get_config (lesson, 0, config);
  config->agent = lesson->agents[index].agent;
  config->planning_depth = lesson->agents[index].planning_depth;
}
