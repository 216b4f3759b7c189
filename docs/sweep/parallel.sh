#!/bin/sh
# A sweep in N shards on the computers listed in HOSTFILE (one ssh login a line), run with
# GNU Parallel: one shard per computer at a time, each on all of its cores, in the current
# folder, which every computer must see under the same path (a shared home folder). A shard
# that fails is run again (--retries) and keeps the runs it had written; then the shards are
# merged into sweep.json and sweep.csv, the files one unsharded sweep writes.
# Usage: sh parallel.sh HOSTFILE N
# The sweep's options come from SWEEP, the program from MESASCOPE_CLI.
set -eu
hosts=$1
n=$2
cli=${MESASCOPE_CLI:-mesascope-cli}
sweep=${SWEEP:---diversity 0,1,2,5,10,20,50,100 --agent planner,qlearner --seeds 1-20}

seq 1 "$n" | parallel --sshloginfile "$hosts" --jobs 1 --retries 3 --workdir "$PWD" \
  "$cli" sweep $sweep --shard {}/"$n" --resume shard-{}-of-"$n".json
"$cli" sweep --merge $(seq -f "shard-%g-of-$n.json" 1 "$n") --json sweep.json --csv sweep.csv
