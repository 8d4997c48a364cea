/* SPDX-License-Identifier: MIT */
/* tg-idx.c — reading IDX files (plain or gzip) into data sets (declared in tg-data.h).
 *
 * Every file is treated as possibly wrong. Anything but a regular file is refused before it
 * is opened. Sizes are checked against the file (or, for .gz, against the gzip trailer's
 * ISIZE) before any big buffer is allocated, and the bytes that really arrive are checked
 * again after. Failures are GErrors that name the file and say what is wrong; nothing here
 * exits. */
#include "tg-data.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#define IDX_TYPE_UBYTE   0x08
#define IDX_IMAGES_MAGIC 0x00000803u
#define IDX_LABELS_MAGIC 0x00000801u

/* Deflate cannot expand data by more than about 1032:1, so a .gz whose header promises more
 * than that is lying, whatever its trailer says (the trailer only holds the size mod 2^32). */
#define GZ_MAX_RATIO 1032u

/* ---------------------------------------------------------------------------------------- */
/* IDX reading                                                                               */

typedef struct {
  const char   *path;         /* borrowed, for messages */
  const char   *what;         /* "images" or "labels" */
  GInputStream *file_stream;  /* owned: the file itself */
  GInputStream *in;           /* owned: file_stream, or a decompressing stream over it */
  gboolean      gz;
  guint64       file_size;    /* bytes on disk */
  guint32       gz_isize;     /* gzip trailer: uncompressed size mod 2^32 */
  guint         ndims;
  guint32       dims[3];
  gsize         body;         /* data bytes the header promises */
} IdxFile;

static void
idx_file_clear (IdxFile *f)
{
  if (f->in != NULL)
    g_input_stream_close (f->in, NULL, NULL);
  g_clear_object (&f->in);
  g_clear_object (&f->file_stream);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (IdxFile, idx_file_clear)

static guint32
read_be32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | (guint32) p[3];
}

static guint32
read_le32 (const guint8 *p)
{
  return ((guint32) p[3] << 24) | ((guint32) p[2] << 16) | ((guint32) p[1] << 8) | (guint32) p[0];
}

/* A read failure through the decompressor means the gzip data is bad; on a plain file it is
 * the disk or the file system. */
static void
set_read_error (IdxFile *f, GError *io_error, const char *while_reading, GError **error)
{
  if (f->gz && (g_error_matches (io_error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA) ||
                g_error_matches (io_error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT)))
    g_set_error (error, TG_ERROR, TG_ERROR_FORMAT,
                 "%s: corrupt or truncated gzip data while reading %s (%s)",
                 f->path, while_reading, io_error->message);
  else
    g_set_error (error, TG_ERROR, TG_ERROR_IO, "%s: cannot read %s (%s)",
                 f->path, while_reading, io_error->message);
}

/* Reads exactly len bytes or says why not; part names what is being read, for messages. */
static gboolean
idx_read_exact (IdxFile *f, void *buf, gsize len, const char *part, GError **error)
{
  g_autoptr (GError) io_error = NULL;
  gsize got = 0;

  if (!g_input_stream_read_all (f->in, buf, len, &got, NULL, &io_error))
    {
      set_read_error (f, io_error, part, error);
      return FALSE;
    }
  if (got != len)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_FORMAT,
                   "%s: truncated: the %s should be %" G_GSIZE_FORMAT " bytes but the %s "
                   "ends after %" G_GSIZE_FORMAT,
                   f->path, part, len,
                   f->in == f->file_stream ? "file" : "decompressed data", got);
      return FALSE;
    }
  return TRUE;
}

/* Opens the file itself. A FIFO, a device or a socket would block or never end, so anything
 * but a regular file is refused before it is opened (and its type is checked again on the
 * opened stream, in case the name changed in between). */
static gboolean
idx_open_regular (IdxFile *f, gsize header_size, GError **error)
{
  g_autoptr (GFile) file = g_file_new_for_path (f->path);
  g_autoptr (GFileInputStream) fin = NULL;
  g_autoptr (GFileInfo) info = NULL;
  g_autoptr (GError) io_error = NULL;
  GStatBuf st;

  if (g_stat (f->path, &st) == 0 && !S_ISREG (st.st_mode))
    {
      g_set_error (error, TG_ERROR, TG_ERROR_IO, S_ISDIR (st.st_mode)
                   ? "%s: is a directory, not an IDX file"
                   : "%s: not a regular file (a pipe or a device?), so not an IDX file",
                   f->path);
      return FALSE;
    }

  fin = g_file_read (file, NULL, &io_error);
  if (fin == NULL)
    {
      if (g_error_matches (io_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        g_set_error (error, TG_ERROR, TG_ERROR_IO, "%s: no such file", f->path);
      else if (g_error_matches (io_error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY))
        g_set_error (error, TG_ERROR, TG_ERROR_IO, "%s: is a directory, not an IDX file",
                     f->path);
      else
        g_set_error (error, TG_ERROR, TG_ERROR_IO, "%s: cannot open (%s)",
                     f->path, io_error->message);
      return FALSE;
    }

  info = g_file_input_stream_query_info (fin, G_FILE_ATTRIBUTE_STANDARD_SIZE ","
                                         G_FILE_ATTRIBUTE_STANDARD_TYPE, NULL, &io_error);
  if (info == NULL)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_IO, "%s: cannot find the file size (%s)",
                   f->path, io_error->message);
      return FALSE;
    }
  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_IO, "%s: not a regular file, so not an IDX file",
                   f->path);
      return FALSE;
    }
  f->file_size = (guint64) g_file_info_get_size (info);
  f->file_stream = G_INPUT_STREAM (g_steal_pointer (&fin));

  if (f->file_size == 0)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_FORMAT,
                   "%s: the file is empty; an IDX %s file starts with a %" G_GSIZE_FORMAT
                   "-byte header", f->path, f->what, header_size);
      return FALSE;
    }
  return TRUE;
}

/* For .gz: checks the signature, reads ISIZE from the trailer and puts a decompressor
 * between the file and the reader. */
static gboolean
idx_open_gzip (IdxFile *f, GError **error)
{
  g_autoptr (GError) io_error = NULL;
  g_autoptr (GZlibDecompressor) dec = NULL;
  guint8 sig[2], trailer[4];

  /* A 10-byte gzip header and an 8-byte trailer at the least. */
  if (f->file_size < 18)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_FORMAT,
                   "%s: only %" G_GUINT64_FORMAT " bytes, too short to be a gzip file",
                   f->path, f->file_size);
      return FALSE;
    }
  f->in = g_object_ref (f->file_stream);
  if (!idx_read_exact (f, sig, 2, "gzip signature", error))
    return FALSE;
  if (sig[0] != 0x1f || sig[1] != 0x8b)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_FORMAT,
                   "%s: the name ends in .gz but the file is not gzip-compressed "
                   "(it starts with 0x%02x 0x%02x, not 0x1f 0x8b)", f->path, sig[0], sig[1]);
      return FALSE;
    }
  if (!g_seekable_seek (G_SEEKABLE (f->file_stream), -4, G_SEEK_END, NULL, &io_error) ||
      !idx_read_exact (f, trailer, 4, "gzip trailer", error) ||
      !g_seekable_seek (G_SEEKABLE (f->file_stream), 0, G_SEEK_SET, NULL, &io_error))
    {
      if (io_error != NULL)
        g_set_error (error, TG_ERROR, TG_ERROR_IO, "%s: cannot seek (%s)",
                     f->path, io_error->message);
      return FALSE;
    }
  g_clear_object (&f->in);
  f->gz_isize = read_le32 (trailer);

  dec = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);
  f->in = g_converter_input_stream_new (f->file_stream, G_CONVERTER (dec));
  return TRUE;
}

/* Reads up to len header bytes into buf; fewer than len is a truncated header. */
static gboolean
idx_read_header_part (IdxFile *f, guint8 *buf, gsize len, gsize have, gsize header_size,
                      GError **error)
{
  g_autoptr (GError) io_error = NULL;
  gsize got = 0;

  if (!g_input_stream_read_all (f->in, buf, len, &got, NULL, &io_error))
    {
      set_read_error (f, io_error, "the header", error);
      return FALSE;
    }
  if (got == 0 && have == 0)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_FORMAT,
                   "%s: decompresses to nothing; an IDX %s file starts with a %"
                   G_GSIZE_FORMAT "-byte header", f->path, f->what, header_size);
      return FALSE;
    }
  if (got < len)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_FORMAT,
                   "%s: truncated header: %" G_GSIZE_FORMAT " bytes where an IDX %s file "
                   "needs %" G_GSIZE_FORMAT, f->path, have + got, f->what, header_size);
      return FALSE;
    }
  return TRUE;
}

/* The magic first, so a wrong kind of file gets a message about its kind, not its size;
 * then the dimensions, each within what we accept. Sets f->dims and f->body. */
static gboolean
idx_read_header (IdxFile *f, gsize header_size, GError **error)
{
  guint32 magic_expected = f->ndims == 3 ? IDX_IMAGES_MAGIC : IDX_LABELS_MAGIC;
  guint8 head[4 + 4 * 3];
  size_t body = 0;

  if (!idx_read_header_part (f, head, 4, 0, header_size, error))
    return FALSE;

  guint32 magic = read_be32 (head);
  if (magic != magic_expected)
    {
      const char *hint = "";
      if (head[0] == 0x1f && head[1] == 0x8b)
        hint = "; it looks gzip-compressed, so its name should end in .gz";
      else if (head[0] == 0 && head[1] == 0 && head[2] == IDX_TYPE_UBYTE && head[3] != f->ndims)
        hint = f->ndims == 3 ? "; it looks like an IDX file of another kind (labels?)"
                             : "; it looks like an IDX file of another kind (images?)";
      g_set_error (error, TG_ERROR, TG_ERROR_FORMAT,
                   "%s: magic number 0x%08x is not that of an IDX %s file (0x%08x)%s",
                   f->path, magic, f->what, magic_expected, hint);
      return FALSE;
    }

  if (!idx_read_header_part (f, head + 4, header_size - 4, 4, header_size, error))
    return FALSE;
  for (guint d = 0; d < f->ndims; d++)
    f->dims[d] = read_be32 (head + 4 + 4 * d);

  if (f->dims[0] == 0 || f->dims[0] > TG_IDX_MAX_COUNT)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_RANGE,
                   "%s: the header claims %u %s; expected between 1 and %u",
                   f->path, f->dims[0], f->what, TG_IDX_MAX_COUNT);
      return FALSE;
    }
  body = f->dims[0];
  if (f->ndims == 3)
    {
      if (f->dims[1] == 0 || f->dims[2] == 0 ||
          f->dims[1] > TG_IDX_MAX_SIDE || f->dims[2] > TG_IDX_MAX_SIDE)
        {
          g_set_error (error, TG_ERROR, TG_ERROR_RANGE,
                       "%s: the header claims images of %u x %u pixels; each side must be "
                       "between 1 and %u", f->path, f->dims[1], f->dims[2], TG_IDX_MAX_SIDE);
          return FALSE;
        }
      if (!tg_size_mul3 (f->dims[0], f->dims[1], f->dims[2], &body))
        {
          g_set_error (error, TG_ERROR, TG_ERROR_RANGE,
                       "%s: %u images of %u x %u pixels do not fit in memory",
                       f->path, f->dims[0], f->dims[1], f->dims[2]);
          return FALSE;
        }
    }
  f->body = body;
  return TRUE;
}

/* The size the header promises against the file size (plain) or the gzip trailer (gz). */
static gboolean
idx_check_size (IdxFile *f, gsize header_size, GError **error)
{
  guint64 total = (guint64) header_size + (guint64) f->body;

  if (!f->gz)
    {
      if (f->file_size < total)
        {
          g_set_error (error, TG_ERROR, TG_ERROR_FORMAT,
                       "%s: truncated: the header promises %" G_GUINT64_FORMAT " bytes "
                       "(%" G_GSIZE_FORMAT " of header and %" G_GSIZE_FORMAT " of %s) but the "
                       "file has only %" G_GUINT64_FORMAT,
                       f->path, total, header_size, f->body, f->what, f->file_size);
          return FALSE;
        }
      if (f->file_size > total)
        {
          g_set_error (error, TG_ERROR, TG_ERROR_FORMAT,
                       "%s: %" G_GUINT64_FORMAT " unexpected trailing bytes after the %"
                       G_GUINT64_FORMAT " the header promises",
                       f->path, f->file_size - total, total);
          return FALSE;
        }
      return TRUE;
    }
  if (total / GZ_MAX_RATIO > f->file_size)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_FORMAT,
                   "%s: the header promises %" G_GUINT64_FORMAT " bytes, more than %"
                   G_GUINT64_FORMAT " bytes of gzip data can hold; the file is truncated "
                   "or its header is wrong", f->path, total, f->file_size);
      return FALSE;
    }
  if ((guint32) (total & 0xffffffffu) != f->gz_isize)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_FORMAT,
                   "%s: the header promises %" G_GUINT64_FORMAT " uncompressed bytes but "
                   "the gzip trailer records %u; the file is truncated, has extra bytes, "
                   "or is corrupt", f->path, total, f->gz_isize);
      return FALSE;
    }
  return TRUE;
}

/* Opens path, reads and checks the header, and checks the promised size against the file
 * size (plain) or the gzip trailer (gz). Allocates nothing in proportion to the data. */
static gboolean
idx_file_open (IdxFile    *f,
               const char *path,
               guint       ndims,
               GError    **error)
{
  gsize header_size = 4 + 4 * (gsize) ndims;

  memset (f, 0, sizeof *f);
  f->path = path;
  f->what = ndims == 3 ? "images" : "labels";
  f->ndims = ndims;
  f->gz = g_str_has_suffix (path, ".gz");

  if (!idx_open_regular (f, header_size, error))
    return FALSE;
  if (f->gz)
    {
      if (!idx_open_gzip (f, error))
        return FALSE;
    }
  else
    f->in = g_object_ref (f->file_stream);

  return idx_read_header (f, header_size, error) && idx_check_size (f, header_size, error);
}

/* Reads the promised body into buf and checks that nothing follows it. */
static gboolean
idx_file_read_body (IdxFile *f, guint8 *buf, GError **error)
{
  g_autoptr (GError) io_error = NULL;
  guint8 extra;
  gsize got = 0;

  if (!idx_read_exact (f, buf, f->body, f->what, error))
    return FALSE;

  /* For gzip this read also makes the decompressor check the CRC and length in the trailer. */
  if (!g_input_stream_read_all (f->in, &extra, 1, &got, NULL, &io_error))
    {
      set_read_error (f, io_error, "the end of the data", error);
      return FALSE;
    }
  if (got != 0)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_FORMAT,
                   "%s: trailing bytes after the %" G_GSIZE_FORMAT " bytes of %s the header "
                   "promises", f->path, f->body, f->what);
      return FALSE;
    }
  return TRUE;
}

TgDataset *
tg_dataset_load_idx (const char *images_path,
                     const char *labels_path,
                     guint32     n_classes,
                     GError    **error)
{
  g_auto (IdxFile) images = { 0 };
  g_auto (IdxFile) labels = { 0 };
  g_autoptr (TgDataset) ds = NULL;
  g_autofree guint8 *label_buf = NULL;

  g_return_val_if_fail (images_path != NULL, NULL);
  g_return_val_if_fail (labels_path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (n_classes == 0 || n_classes > 256)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_INVALID,
                   "%u classes: uint8 labels allow between 1 and 256", n_classes);
      return NULL;
    }

  if (!idx_file_open (&images, images_path, 3, error) ||
      !idx_file_open (&labels, labels_path, 1, error))
    return NULL;

  if (images.dims[0] != labels.dims[0])
    {
      g_set_error (error, TG_ERROR, TG_ERROR_MISMATCH,
                   "%s holds %u images but %s holds %u labels; they must be equal",
                   images_path, images.dims[0], labels_path, labels.dims[0]);
      return NULL;
    }

  /* Labels first: they are small, and a bad label should not cost reading 47 MB of pixels. */
  label_buf = g_try_malloc (labels.body);
  if (label_buf == NULL)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_IO, "%s: out of memory for %" G_GSIZE_FORMAT
                   " labels", labels_path, labels.body);
      return NULL;
    }
  if (!idx_file_read_body (&labels, label_buf, error))
    return NULL;
  for (guint32 i = 0; i < labels.dims[0]; i++)
    if (label_buf[i] >= n_classes)
      {
        g_set_error (error, TG_ERROR, TG_ERROR_RANGE,
                     "%s: label %u at index %u is not below %u classes",
                     labels_path, label_buf[i], i, n_classes);
        return NULL;
      }

  ds = tg_dataset_new (images.dims[0], images.dims[1], images.dims[2], n_classes, error);
  if (ds == NULL)
    {
      g_prefix_error (error, "%s: ", images_path);
      return NULL;
    }
  if (!idx_file_read_body (&images, ds->pixels, error))
    return NULL;
  memcpy (ds->labels, label_buf, labels.body);

  return g_steal_pointer (&ds);
}

/* Returns dir/name or dir/name.gz, whichever exists (plain first), or NULL. */
static char *
find_idx_file (const char *dir, const char *name)
{
  g_autofree char *plain = g_build_filename (dir, name, NULL);
  g_autofree char *gz = g_strconcat (plain, ".gz", NULL);

  if (g_file_test (plain, G_FILE_TEST_EXISTS))
    return g_steal_pointer (&plain);
  if (g_file_test (gz, G_FILE_TEST_EXISTS))
    return g_steal_pointer (&gz);
  return NULL;
}

TgDataset *
tg_dataset_load_dir (const char *dir,
                     const char *split,
                     guint32     n_classes,
                     GError    **error)
{
  g_autofree char *images_name = NULL;
  g_autofree char *labels_name = NULL;
  g_autofree char *images_path = NULL;
  g_autofree char *labels_path = NULL;

  g_return_val_if_fail (dir != NULL, NULL);
  g_return_val_if_fail (split != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, TG_ERROR, TG_ERROR_IO, "%s: no such directory (looking for the "
                   "\"%s\" IDX files)", dir, split);
      return NULL;
    }

  images_name = g_strdup_printf ("%s-images-idx3-ubyte", split);
  labels_name = g_strdup_printf ("%s-labels-idx1-ubyte", split);
  images_path = find_idx_file (dir, images_name);
  labels_path = find_idx_file (dir, labels_name);

  if (images_path == NULL || labels_path == NULL)
    {
      GString *missing = g_string_new (NULL);
      if (images_path == NULL)
        g_string_append_printf (missing, "%s or %s.gz", images_name, images_name);
      if (labels_path == NULL)
        g_string_append_printf (missing, "%s%s or %s.gz",
                                missing->len ? ", nor " : "", labels_name, labels_name);
      g_set_error (error, TG_ERROR, TG_ERROR_IO, "%s: found no %s", dir, missing->str);
      g_string_free (missing, TRUE);
      return NULL;
    }

  return tg_dataset_load_idx (images_path, labels_path, n_classes, error);
}
