/* sim-file.c: writing output files safely
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Regular files are written with GIO's g_file_replace_contents(), which writes a temporary
 * file beside the old one and renames it over it. What GLib 2.74 does, tried case by case:
 *
 *   regular file        replaced atomically (a new inode); the permission bits and the owner
 *                       are kept (a 0600 file stays 0600)
 *   read-only file      refused (Permission denied), even where the folder is writable
 *   file in a folder    written in place (GIO cannot create its temporary file there and
 *   this process may    falls back to truncating and rewriting), so not atomically: refused
 *   not write           here instead, before GIO is called
 *   file of another     written in place where the temporary file cannot take over the old
 *   owner               one's owner and group (not as root), so not atomically
 *   hard link           (more than one name) written in place, so every name of the file
 *                       sees the new contents; not atomically
 *   symbolic link       followed, but the target is truncated and rewritten in place, not
 *                       replaced: not atomic. A link to a device or FIFO fails there after
 *                       opening it ("Error truncating file: Invalid argument").
 *   dangling link       the file it names is created
 *   device, FIFO        refused (G_IO_ERROR_NOT_REGULAR_FILE)
 *   folder              refused (G_IO_ERROR_IS_DIRECTORY)
 *
 * (G_FILE_CREATE_REPLACE_DESTINATION would instead replace a symbolic link, a hard link or a
 * device node by a regular file: never used here.) So GIO serves regular files as they are,
 * and this module adds the rest: it follows the symbolic links of the last path component
 * itself and hands GIO the file they end at, which is then replaced atomically while the link
 * survives; a file with one name in a folder that cannot be written is refused; a device, FIFO or socket is opened with O_WRONLY and written in place, as a shell's
 * redirection would; a folder is refused with a message. `/dev/stdout`, `/dev/stderr`,
 * `/dev/fd/N` and `/proc/self/fd/N` write to that descriptor, as bash and gawk do, so that
 * `--json /dev/stdout` works for any user and appends to a redirected standard output instead
 * of replacing the file behind it.
 */
#include "config.h"

#include "sim-file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <gio/gio.h>
#include <glib/gstdio.h>

/* As many links as the kernel follows (MAXSYMLINKS). */
#define MAX_LINKS 40

/* The descriptor of this process that path names, or -1. */
static int
descriptor_alias (const char *path)
{
  const char *number = NULL;
  guint64 fd;

  if (strcmp (path, "/dev/stdout") == 0)
    return STDOUT_FILENO;
  if (strcmp (path, "/dev/stderr") == 0)
    return STDERR_FILENO;
  if (g_str_has_prefix (path, "/dev/fd/"))
    number = path + strlen ("/dev/fd/");
  else if (g_str_has_prefix (path, "/proc/self/fd/"))
    number = path + strlen ("/proc/self/fd/");
  if (number == NULL || !g_ascii_isdigit (*number) ||
      !g_ascii_string_to_unsigned (number, 10, 0, G_MAXINT, &fd, NULL))
    return -1;
  return (int) fd;
}

/* Where writing path ends up: a descriptor of this process, or the file that the symbolic
 * links of path's last component lead to (which may not exist). Links inside /proc are left
 * to the kernel: their targets ("pipe:[123]") are not paths. */
typedef struct
{
  int fd;
  char *path;
} Target;

static void
target_clear (Target *target)
{
  g_clear_pointer (&target->path, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Target, target_clear)

static gboolean
resolve (const char  *path,
         Target      *target,
         GError     **error)
{
  g_autofree char *current = g_strdup (path);

  target->fd = -1;
  target->path = NULL;
  for (int hops = 0; hops <= MAX_LINKS; hops++)
    {
      g_autofree char *link = NULL;

      target->fd = descriptor_alias (current);
      if (target->fd >= 0 || g_str_has_prefix (current, "/proc/"))
        break;
      link = g_file_read_link (current, NULL);
      if (link == NULL)
        break;
      if (g_path_is_absolute (link))
        {
          g_free (current);
          current = g_steal_pointer (&link);
        }
      else
        {
          g_autofree char *dir = g_path_get_dirname (current);

          g_free (current);
          current = g_build_filename (dir, link, NULL);
        }
      if (hops == MAX_LINKS)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_TOO_MANY_LINKS,
                               g_strerror (ELOOP));
          return FALSE;
        }
    }
  target->path = g_steal_pointer (&current);
  return TRUE;
}

static gboolean
set_errno_error (GError     **error,
                 int          saved_errno,
                 const char  *what)
{
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno), "%s: %s", what,
               g_strerror (saved_errno));
  return FALSE;
}

static gboolean
refuse_folder (GError **error)
{
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY,
                       "this is a folder, not a file");
  return FALSE;
}

/* Whether a file can be created in path's folder; doing says what for the message. */
static gboolean
check_folder (const char  *path,
              const char  *doing,
              GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);

  if (g_access (dir, W_OK | X_OK) != 0)
    {
      int saved_errno = errno;
      g_autofree char *display = g_filename_display_name (dir);
      g_autofree char *what = g_strdup_printf ("%s in %s", doing, display);

      return set_errno_error (error, saved_errno, what);
    }
  return TRUE;
}

/* GIO rewrites a file in place where it cannot create its temporary file beside it: refused
 * instead, so that a file with a single name is only ever replaced whole. */
static gboolean
check_replaceable (const char      *path,
                   const GStatBuf  *st,
                   GError         **error)
{
  return st->st_nlink > 1 || check_folder (path, "cannot replace it", error);
}

/* Writes every byte to fd, which stays open. */
static gboolean
write_all (int          fd,
           const char  *data,
           gsize        len,
           GError     **error)
{
  while (len > 0)
    {
      gssize n = write (fd, data, MIN (len, (gsize) G_MAXSSIZE));

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return set_errno_error (error, errno, "cannot write");
      data += n;
      len -= (gsize) n;
    }
  return TRUE;
}

/* A device, FIFO or socket: written in place, never truncated or replaced. */
static gboolean
write_in_place (const char  *path,
                const char  *data,
                gsize        len,
                GError     **error)
{
  int fd;
  gboolean ok;

  do
    fd = g_open (path, O_WRONLY | O_NOCTTY | O_CLOEXEC, 0);
  while (fd < 0 && errno == EINTR);
  if (fd < 0)
    return set_errno_error (error, errno, "cannot open");
  ok = write_all (fd, data, len, error);
  if (close (fd) != 0 && ok && errno != EINTR)
    return set_errno_error (error, errno, "cannot write");
  return ok;
}

gboolean
sim_file_write (const char  *path,
                const char  *data,
                gssize       len,
                GError     **error)
{
  g_auto (Target) target = { -1, NULL };
  g_autoptr (GFile) file = NULL;
  GStatBuf st;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (data != NULL || len == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (len < 0)
    len = (gssize) strlen (data);
  if (!resolve (path, &target, error))
    return FALSE;
  if (target.fd >= 0)
    {
      /* Whatever stdio holds for the same descriptor goes first. */
      if (target.fd == STDOUT_FILENO)
        fflush (stdout);
      else if (target.fd == STDERR_FILENO)
        fflush (stderr);
      return write_all (target.fd, data, (gsize) len, error);
    }
  if (g_stat (target.path, &st) == 0)
    {
      if (S_ISDIR (st.st_mode))
        return refuse_folder (error);
      if (!S_ISREG (st.st_mode))
        return write_in_place (target.path, data, (gsize) len, error);
      if (!check_replaceable (target.path, &st, error))
        return FALSE;
    }
  file = g_file_new_for_path (target.path);
  return g_file_replace_contents (file, data, (gsize) len, NULL, FALSE, G_FILE_CREATE_NONE,
                                  NULL, NULL, error);
}

gboolean
sim_file_check_output (const char  *path,
                       GError     **error)
{
  g_auto (Target) target = { -1, NULL };
  g_autofree char *dir = NULL;
  GStatBuf st;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (*path == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_FILENAME, "empty file name");
      return FALSE;
    }
  if (!resolve (path, &target, error))
    return FALSE;
  if (target.fd >= 0)
    {
      int flags = fcntl (target.fd, F_GETFL);

      if (flags < 0)
        return set_errno_error (error, errno, "not open");
      if ((flags & O_ACCMODE) == O_RDONLY)
        return set_errno_error (error, EBADF, "not open for writing");
      return TRUE;
    }
  if (g_stat (target.path, &st) == 0)
    {
      if (S_ISDIR (st.st_mode))
        return refuse_folder (error);
      if (g_access (target.path, W_OK) != 0)
        return set_errno_error (error, errno, "cannot write");
      return !S_ISREG (st.st_mode) || check_replaceable (target.path, &st, error);
    }
  if (errno != ENOENT)
    return set_errno_error (error, errno, "cannot write");

  /* A new file: its folder must exist and take it. */
  dir = g_path_get_dirname (target.path);
  if (g_stat (dir, &st) != 0 || !S_ISDIR (st.st_mode))
    {
      g_autofree char *display = g_filename_display_name (dir);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "the folder %s does not exist",
                   display);
      return FALSE;
    }
  return check_folder (target.path, "cannot create a file", error);
}

/* What a path names: a file that exists (device and inode), or the canonical path of one to
 * be created. */
typedef struct
{
  gboolean exists;
  gboolean stream;
  GStatBuf st;
  char *canonical;
} Identity;

static void
identity_clear (Identity *id)
{
  g_clear_pointer (&id->canonical, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Identity, identity_clear)

static void
identify (const char *path,
          Identity   *id)
{
  g_auto (Target) target = { -1, NULL };

  memset (id, 0, sizeof *id);
  if (!resolve (path, &target, NULL))
    {
      id->canonical = g_canonicalize_filename (path, NULL);
      return;
    }
  if (target.fd >= 0)
    {
      id->stream = TRUE;
      id->exists = fstat (target.fd, &id->st) == 0;
    }
  else
    {
      id->exists = g_stat (target.path, &id->st) == 0;
      id->stream = id->exists && !S_ISREG (id->st.st_mode) && !S_ISDIR (id->st.st_mode);
    }
  if (!id->exists)
    {
      /* The folder's own links resolved, so that d/x and link-to-d/x compare equal. */
      g_autofree char *dir = g_path_get_dirname (target.path);
      g_autofree char *base = g_path_get_basename (target.path);
      g_autofree char *real_dir = realpath (dir, NULL);

      id->canonical = real_dir != NULL ? g_build_filename (real_dir, base, NULL)
                                       : g_canonicalize_filename (target.path, NULL);
    }
}

gboolean
sim_file_same (const char *a,
               const char *b)
{
  g_auto (Identity) ia = { 0 };
  g_auto (Identity) ib = { 0 };

  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  identify (a, &ia);
  identify (b, &ib);
  if (ia.exists && ib.exists)
    return ia.st.st_dev == ib.st.st_dev && ia.st.st_ino == ib.st.st_ino;
  if (!ia.exists && !ib.exists)
    return strcmp (ia.canonical, ib.canonical) == 0;
  return FALSE;
}

gboolean
sim_file_is_stream (const char *path)
{
  g_auto (Identity) id = { 0 };

  g_return_val_if_fail (path != NULL, FALSE);

  identify (path, &id);
  return id.stream;
}
