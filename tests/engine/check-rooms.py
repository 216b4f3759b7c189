#!/usr/bin/env python3
# check-rooms.py ENGINE_DIR: fails when a file of the engine includes a header of a room it may
# not include (src/engine/meson.build lists the rooms and their order), or when a room's header
# or sim.h leaves out a public header.
#
# SPDX-License-Identifier: GPL-3.0-or-later
import os
import re
import sys

# A room may include headers of its own rank or lower. The configuration names a scenario, so
# it sits just above the world; the other top-level files (JSON, files, vectors) below it.
ROOMS = {'world': 1, 'agents': 2, 'infer': 3, 'train': 4}
ROOM_HEADERS = {'world': 'sim-world.h', 'agents': 'sim-agents.h', 'infer': 'sim-infer.h',
                'train': 'sim-training.h'}
TOP_RANKS = {'sim-config': 1.5}
UMBRELLA = 'sim.h'
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


def room_name(rank):
    for name, r in ROOMS.items():
        if r == rank:
            return name + '/'
    return 'the configuration' if rank == 1.5 else 'the top-level helpers'


def main():
    if len(sys.argv) != 2:
        print('usage: check-rooms.py ENGINE_DIR', file=sys.stderr)
        return 2
    top = sys.argv[1]
    rank = {}      # file name -> rank
    headers = {}   # header name -> (room or None, rank)
    for room in [None] + list(ROOMS):
        folder = top if room is None else os.path.join(top, room)
        for name in sorted(os.listdir(folder)):
            if not name.endswith(('.c', '.h')) or name == UMBRELLA:
                continue
            stem = name[:-2]
            r = ROOMS[room] if room else TOP_RANKS.get(stem, 0)
            rank[os.path.join(folder, name)] = r
            if name.endswith('.h'):
                headers[name] = (room, r)

    problems = []
    for path, r in sorted(rank.items()):
        with open(path, encoding='utf-8') as f:
            for line_no, line in enumerate(f, 1):
                m = INCLUDE.match(line)
                if not m or m.group(1) == 'config.h':
                    continue
                inc = m.group(1)
                where = '%s:%d' % (os.path.relpath(path, top), line_no)
                if inc == UMBRELLA:
                    problems.append('%s: includes %s; engine files include what they use' %
                                    (where, UMBRELLA))
                elif inc not in headers:
                    problems.append('%s: includes "%s", which is no header of the engine' %
                                    (where, inc))
                elif headers[inc][1] > r:
                    problems.append('%s: includes %s of %s, which %s may not include' %
                                    (where, inc, room_name(headers[inc][1]), room_name(r)))

    def included(path):
        with open(path, encoding='utf-8') as f:
            return {m.group(1) for m in map(INCLUDE.match, f) if m}

    for room, header in ROOM_HEADERS.items():
        path = os.path.join(top, room, header)
        if not os.path.exists(path):
            problems.append('%s/%s: missing (every room has a header that includes the rest)' %
                            (room, header))
            continue
        got = included(path)
        for name, (hroom, _) in sorted(headers.items()):
            if hroom == room and name != header and not name.endswith('-private.h') \
                    and name not in got:
                problems.append('%s/%s: does not include %s' % (room, header, name))
    got = included(os.path.join(top, UMBRELLA))
    wanted = set(ROOM_HEADERS.values()) | {n for n, (hroom, _) in headers.items() if hroom is None}
    for name in sorted(wanted - got):
        problems.append('%s: does not include %s' % (UMBRELLA, name))

    for p in problems:
        print(p)
    print('%d files checked, %d problems' % (len(rank) + 1, len(problems)))
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
