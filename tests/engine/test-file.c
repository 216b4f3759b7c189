/* test-file.c: sim_file_write and the output checks on every kind of path
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Device nodes are made here with mknod (the tests run as root in CI), never the system's.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <gio/gio.h>
#include <glib/gstdio.h>

#include "sim-file.h"

typedef struct
{
  char *dir;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = g_dir_make_tmp ("mesascope-file-XXXXXX", NULL);
  g_assert_nonnull (f->dir);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *command = g_strdup_printf ("rm -rf '%s'", f->dir);

  g_assert_true (g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL));
  g_free (f->dir);
}

static char *
in_dir (Fixture    *f,
        const char *name)
{
  return g_build_filename (f->dir, name, NULL);
}

static void
assert_contents (const char *path,
                 const char *expected)
{
  g_autofree char *text = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_assert_cmpstr (text, ==, expected);
}

static ino_t
inode (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  return st.st_ino;
}

static mode_t
file_mode (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_lstat (path, &st), ==, 0);
  return st.st_mode;
}

/* A regular file is replaced whole (a new inode) and keeps its permission bits. */
static void
test_regular (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *path = in_dir (f, "out.json");
  g_autoptr (GError) error = NULL;
  g_autoptr (GDir) dir = NULL;
  ino_t before;

  g_assert_true (sim_file_write (path, "new file\n", -1, &error));
  g_assert_no_error (error);
  assert_contents (path, "new file\n");

  g_assert_cmpint (g_chmod (path, 0600), ==, 0);
  before = inode (path);
  g_assert_true (sim_file_write (path, "second", 3, &error));
  g_assert_no_error (error);
  assert_contents (path, "sec");
  g_assert_cmpuint (inode (path), !=, before);
  g_assert_cmpuint (file_mode (path) & 07777, ==, 0600);

  /* Nothing but the file is left in the folder. */
  dir = g_dir_open (f->dir, 0, NULL);
  g_assert_cmpstr (g_dir_read_name (dir), ==, "out.json");
  g_assert_null (g_dir_read_name (dir));
}

/* Symbolic links are followed, also in chains and across folders: the file they end at is
 * replaced and every link survives; a dangling link creates the file it names. */
static void
test_symlink (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *sub = in_dir (f, "sub");
  g_autofree char *target = g_build_filename (sub, "target.json", NULL);
  g_autofree char *link1 = in_dir (f, "link1");
  g_autofree char *link2 = in_dir (f, "link2");
  g_autofree char *dangling = in_dir (f, "dangling");
  g_autofree char *created = in_dir (f, "created");
  g_autofree char *loop = in_dir (f, "loop");
  g_autoptr (GError) error = NULL;
  ino_t before;

  g_assert_cmpint (g_mkdir (sub, 0755), ==, 0);
  g_assert_true (g_file_set_contents (target, "old", -1, NULL));
  g_assert_cmpint (symlink ("sub/target.json", link1), ==, 0);
  g_assert_cmpint (symlink (link1, link2), ==, 0);
  before = inode (target);

  g_assert_true (sim_file_write (link2, "through two links", -1, &error));
  g_assert_no_error (error);
  g_assert_true (S_ISLNK (file_mode (link1)));
  g_assert_true (S_ISLNK (file_mode (link2)));
  assert_contents (target, "through two links");
  g_assert_cmpuint (inode (target), !=, before);

  g_assert_cmpint (symlink ("created", dangling), ==, 0);
  g_assert_true (sim_file_write (dangling, "made", -1, &error));
  g_assert_no_error (error);
  g_assert_true (S_ISLNK (file_mode (dangling)));
  assert_contents (created, "made");

  g_assert_cmpint (symlink ("loop", loop), ==, 0);
  g_assert_false (sim_file_write (loop, "x", -1, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TOO_MANY_LINKS);
  g_clear_error (&error);
  g_assert_false (sim_file_check_output (loop, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TOO_MANY_LINKS);
}

/* A file with two names is rewritten in place: both names see the new contents. */
static void
test_hard_link (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *a = in_dir (f, "a");
  g_autofree char *b = in_dir (f, "b");
  g_autoptr (GError) error = NULL;

  g_assert_true (g_file_set_contents (a, "old contents", -1, NULL));
  g_assert_cmpint (link (a, b), ==, 0);
  g_assert_true (sim_file_write (a, "new", -1, &error));
  g_assert_no_error (error);
  assert_contents (b, "new");
  g_assert_cmpuint (inode (a), ==, inode (b));
  g_assert_true (sim_file_same (a, b));
}

/* A folder is refused and stays as it was. */
static void
test_folder (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *folder = in_dir (f, "folder");
  g_autofree char *inside = g_build_filename (folder, "inside", NULL);
  g_autofree char *link = in_dir (f, "folder-link");
  g_autoptr (GError) error = NULL;

  g_assert_cmpint (g_mkdir (folder, 0755), ==, 0);
  g_assert_true (g_file_set_contents (inside, "x", -1, NULL));
  g_assert_cmpint (symlink ("folder", link), ==, 0);
  g_assert_false (sim_file_write (folder, "y", -1, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY);
  g_assert_nonnull (strstr (error->message, "folder"));
  g_clear_error (&error);
  g_assert_false (sim_file_write (link, "y", -1, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY);
  g_clear_error (&error);
  g_assert_false (sim_file_check_output (folder, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY);
  g_assert_true (S_ISDIR (file_mode (folder)));
  g_assert_true (S_ISLNK (file_mode (link)));
  assert_contents (inside, "x");
}

/* Character devices are written in place and stay devices; a full one is an error. */
static void
test_devices (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *null = in_dir (f, "null");
  g_autofree char *full = in_dir (f, "full");
  g_autofree char *link = in_dir (f, "null-link");
  g_autoptr (GError) error = NULL;

  g_assert_cmpint (mknod (null, S_IFCHR | 0666, makedev (1, 3)), ==, 0);
  g_assert_cmpint (mknod (full, S_IFCHR | 0666, makedev (1, 7)), ==, 0);
  g_assert_cmpint (symlink ("null", link), ==, 0);

  g_assert_true (sim_file_check_output (null, &error));
  g_assert_true (sim_file_write (null, "discarded", -1, &error));
  g_assert_no_error (error);
  g_assert_true (S_ISCHR (file_mode (null)));
  g_assert_true (sim_file_write (link, "discarded", -1, &error));
  g_assert_no_error (error);
  g_assert_true (S_ISLNK (file_mode (link)));
  g_assert_true (S_ISCHR (file_mode (null)));
  g_assert_true (sim_file_is_stream (null));
  g_assert_true (sim_file_is_stream (link));

  g_assert_true (sim_file_check_output (full, &error));
  g_assert_false (sim_file_write (full, "lost", -1, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_assert_true (S_ISCHR (file_mode (full)));
}

/* A FIFO is written in place; checking it opens nothing (it would block without a reader). */
static void
test_fifo (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *fifo = in_dir (f, "fifo");
  g_autoptr (GError) error = NULL;
  char buffer[64] = { 0 };
  int reader;

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  g_assert_true (sim_file_check_output (fifo, &error));
  g_assert_true (sim_file_is_stream (fifo));
  reader = g_open (fifo, O_RDONLY | O_NONBLOCK, 0);
  g_assert_cmpint (reader, >=, 0);
  g_assert_true (sim_file_write (fifo, "through the pipe", -1, &error));
  g_assert_no_error (error);
  g_assert_cmpint (read (reader, buffer, sizeof buffer - 1), ==, strlen ("through the pipe"));
  g_assert_cmpstr (buffer, ==, "through the pipe");
  close (reader);
  g_assert_true (S_ISFIFO (file_mode (fifo)));
}

/* /dev/fd/N and /proc/self/fd/N write to this process's descriptor N. */
static void
test_descriptors (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  char buffer[64] = { 0 };
  int fds[2];

  g_assert_cmpint (pipe (fds), ==, 0);
  {
    g_autofree char *dev_fd = g_strdup_printf ("/dev/fd/%d", fds[1]);
    g_autofree char *proc_fd = g_strdup_printf ("/proc/self/fd/%d", fds[1]);
    g_autofree char *read_end = g_strdup_printf ("/dev/fd/%d", fds[0]);

    g_assert_true (sim_file_check_output (dev_fd, &error));
    g_assert_true (sim_file_write (dev_fd, "one ", -1, &error));
    g_assert_no_error (error);
    g_assert_true (sim_file_write (proc_fd, "two", -1, &error));
    g_assert_no_error (error);
    g_assert_true (sim_file_is_stream (dev_fd));
    g_assert_true (sim_file_same (dev_fd, proc_fd));
    g_assert_cmpint (read (fds[0], buffer, sizeof buffer - 1), ==, 7);
    g_assert_cmpstr (buffer, ==, "one two");

    /* The read end cannot be written. */
    g_assert_false (sim_file_check_output (read_end, &error));
    g_assert_nonnull (error);
  }
  close (fds[0]);
  close (fds[1]);
}

/* The up-front check: it creates nothing, and says why a path cannot be written. */
static void
test_check (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *fresh = in_dir (f, "fresh.json");
  g_autofree char *existing = in_dir (f, "existing.json");
  g_autofree char *missing = g_build_filename (f->dir, "no-such-folder", "x.json", NULL);
  g_autofree char *not_folder = g_build_filename (existing, "x.json", NULL);
  g_autoptr (GError) error = NULL;

  g_assert_true (sim_file_check_output (fresh, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (fresh, G_FILE_TEST_EXISTS));

  g_assert_true (g_file_set_contents (existing, "keep", -1, NULL));
  g_assert_true (sim_file_check_output (existing, &error));
  g_assert_no_error (error);
  assert_contents (existing, "keep");

  g_assert_false (sim_file_check_output (missing, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "no-such-folder"));
  g_clear_error (&error);
  g_assert_false (sim_file_write (missing, "x", -1, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  g_assert_false (sim_file_check_output (not_folder, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  g_assert_false (sim_file_check_output ("", &error));
  g_assert_nonnull (error);
}

/* Identity: the same file under different names, or the same path to be created. */
static void
test_same (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *a = in_dir (f, "a");
  g_autofree char *b = in_dir (f, "b");
  g_autofree char *link = in_dir (f, "link-to-a");
  g_autofree char *dir_link = in_dir (f, "dir-link");
  g_autofree char *new1 = in_dir (f, "new");
  g_autofree char *new2 = g_build_filename (f->dir, ".", "new", NULL);
  g_autofree char *new3 = g_build_filename (dir_link, "new", NULL);
  g_autofree char *new_link = in_dir (f, "link-to-new");

  g_assert_true (g_file_set_contents (a, "a", -1, NULL));
  g_assert_true (g_file_set_contents (b, "b", -1, NULL));
  g_assert_cmpint (symlink ("a", link), ==, 0);
  g_assert_cmpint (symlink (f->dir, dir_link), ==, 0);
  g_assert_cmpint (symlink ("new", new_link), ==, 0);

  g_assert_true (sim_file_same (a, link));
  g_assert_false (sim_file_same (a, b));
  g_assert_true (sim_file_same (new1, new2));
  g_assert_true (sim_file_same (new1, new3));
  g_assert_true (sim_file_same (new1, new_link));
  g_assert_false (sim_file_same (new1, a));
  g_assert_false (sim_file_is_stream (a));
  g_assert_false (sim_file_is_stream (new1));
}

static void
add (const char *name,
     void (*func) (Fixture *, gconstpointer))
{
  g_test_add (name, Fixture, NULL, fixture_set_up, func, fixture_tear_down);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  add ("/engine/file/regular", test_regular);
  add ("/engine/file/symlink", test_symlink);
  add ("/engine/file/hard-link", test_hard_link);
  add ("/engine/file/folder", test_folder);
  add ("/engine/file/devices", test_devices);
  add ("/engine/file/fifo", test_fifo);
  add ("/engine/file/descriptors", test_descriptors);
  add ("/engine/file/check", test_check);
  add ("/engine/file/same", test_same);
  return g_test_run ();
}
