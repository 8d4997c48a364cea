/* tg-data.c — data sets: reading IDX files (plain or gzip), rotating images, the mode mixture.
 *
 * Every file is treated as possibly wrong. Sizes are checked against the file (or, for .gz,
 * against the gzip trailer's ISIZE) before any big buffer is allocated, and the bytes that
 * really arrive are checked again after. Failures are GErrors that name the file and say what
 * is wrong; nothing here exits.
 *
 * Not here: batching, shuffling, training. This file hands out uint8 images and float copies. */
#include "tg-data.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <math.h>
#include <string.h>

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
  IdxFile images = { 0 }, labels = { 0 };
  g_autoptr (TgDataset) ds = NULL;
  g_autofree guint8 *label_buf = NULL;
  TgDataset *result = NULL;

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
    goto out;

  if (images.dims[0] != labels.dims[0])
    {
      g_set_error (error, TG_ERROR, TG_ERROR_MISMATCH,
                   "%s holds %u images but %s holds %u labels; they must be equal",
                   images_path, images.dims[0], labels_path, labels.dims[0]);
      goto out;
    }

  /* Labels first: they are small, and a bad label should not cost reading 47 MB of pixels. */
  label_buf = g_try_malloc (labels.body);
  if (label_buf == NULL)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_IO, "%s: out of memory for %" G_GSIZE_FORMAT
                   " labels", labels_path, labels.body);
      goto out;
    }
  if (!idx_file_read_body (&labels, label_buf, error))
    goto out;
  for (guint32 i = 0; i < labels.dims[0]; i++)
    if (label_buf[i] >= n_classes)
      {
        g_set_error (error, TG_ERROR, TG_ERROR_RANGE,
                     "%s: label %u at index %u is not below %u classes",
                     labels_path, label_buf[i], i, n_classes);
        goto out;
      }

  ds = tg_dataset_new (images.dims[0], images.dims[1], images.dims[2], n_classes, error);
  if (ds == NULL)
    {
      g_prefix_error (error, "%s: ", images_path);
      goto out;
    }
  if (!idx_file_read_body (&images, ds->pixels, error))
    goto out;
  memcpy (ds->labels, label_buf, labels.body);

  result = g_steal_pointer (&ds);

out:
  idx_file_clear (&images);
  idx_file_clear (&labels);
  return result;
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

/* ---------------------------------------------------------------------------------------- */
/* Datasets in memory                                                                        */

TgDataset *
tg_dataset_new (guint32 n, guint32 rows, guint32 cols, guint32 n_classes, GError **error)
{
  g_autoptr (TgDataset) ds = NULL;
  size_t pixel_bytes;

  if (rows == 0 || cols == 0 || rows > TG_IDX_MAX_SIDE || cols > TG_IDX_MAX_SIDE)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_RANGE,
                   "images of %u x %u pixels: each side must be between 1 and %u",
                   rows, cols, TG_IDX_MAX_SIDE);
      return NULL;
    }
  if (n > TG_IDX_MAX_COUNT)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_RANGE, "%u examples: at most %u are allowed",
                   n, TG_IDX_MAX_COUNT);
      return NULL;
    }
  if (n_classes == 0 || n_classes > 256)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_INVALID,
                   "%u classes: uint8 labels allow between 1 and 256", n_classes);
      return NULL;
    }
  if (!tg_size_mul3 (n, rows, cols, &pixel_bytes))
    {
      g_set_error (error, TG_ERROR, TG_ERROR_RANGE,
                   "%u images of %u x %u pixels do not fit in memory", n, rows, cols);
      return NULL;
    }

  ds = g_new0 (TgDataset, 1);
  ds->n = n;
  ds->rows = rows;
  ds->cols = cols;
  ds->dim = rows * cols;
  ds->n_classes = n_classes;
  /* One extra byte so an empty data set still has non-NULL buffers. */
  ds->pixels = g_try_malloc0 (pixel_bytes + 1);
  ds->labels = g_try_malloc0 ((size_t) n + 1);
  if (ds->pixels == NULL || ds->labels == NULL)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_RANGE,
                   "out of memory for %u images of %u x %u pixels", n, rows, cols);
      return NULL;
    }
  return g_steal_pointer (&ds);
}

void
tg_dataset_free (TgDataset *ds)
{
  if (ds == NULL)
    return;
  g_free (ds->pixels);
  g_free (ds->labels);
  g_free (ds);
}

TgDataset *
tg_dataset_head (const TgDataset *ds, guint32 n)
{
  TgDataset *out;

  g_return_val_if_fail (ds != NULL, NULL);

  n = MIN (n, ds->n);
  out = tg_dataset_new (n, ds->rows, ds->cols, ds->n_classes, NULL);
  if (out == NULL)
    return NULL;
  memcpy (out->pixels, ds->pixels, (size_t) n * ds->dim);
  memcpy (out->labels, ds->labels, n);
  return out;
}

TgDataset *
tg_dataset_copy (const TgDataset *ds)
{
  g_return_val_if_fail (ds != NULL, NULL);
  return tg_dataset_head (ds, ds->n);
}

void
tg_dataset_gather (const TgDataset *ds, const guint32 *idx, guint32 first, guint32 count,
                   float *out, guint8 *labels)
{
  gsize dim;

  g_return_if_fail (ds != NULL);
  g_return_if_fail (out != NULL || count == 0);
  g_return_if_fail (idx != NULL || (guint64) first + count <= ds->n);

  dim = ds->dim;

  for (guint32 i = 0; i < count; i++)
    {
      guint32 src = idx != NULL ? idx[i] : first + i;
      const guint8 *px;
      float *dst = out + (gsize) i * dim;

      g_return_if_fail (src < ds->n);
      px = ds->pixels + (gsize) src * dim;
      /* a plain division vectorises (a lookup table does not) and gives the same floats */
      for (gsize j = 0; j < dim; j++)
        dst[j] = (float) px[j] / 255.0f;
      if (labels != NULL)
        labels[i] = ds->labels[src];
    }
}

void
tg_mixture_coins (uint64_t *rng, guint8 *coins, guint32 n)
{
  g_return_if_fail (rng != NULL);
  g_return_if_fail (coins != NULL || n == 0);

  for (guint32 i = 0; i < n; i++)
    coins[i] = (guint8) tg_rng_below (rng, 2);
}

/* ---------------------------------------------------------------------------------------- */
/* Rotation                                                                                  */

/* cos and sin of an angle in degrees, exact for multiples of 90 so that quarter turns map
 * pixel centres exactly onto pixel centres. */
static void
degrees_cos_sin (double degrees, double *c, double *s)
{
  double d = fmod (degrees, 360.0);

  if (d < 0)
    d += 360.0;
  if (d == 0.0)        { *c = 1.0;  *s = 0.0; }
  else if (d == 90.0)  { *c = 0.0;  *s = 1.0; }
  else if (d == 180.0) { *c = -1.0; *s = 0.0; }
  else if (d == 270.0) { *c = 0.0;  *s = -1.0; }
  else
    {
      double r = d * (G_PI / 180.0);
      *c = cos (r);
      *s = sin (r);
    }
}

/* The four bilinear taps of output pixel (r, c): source indices and weights. A tap that falls
 * outside the image gets weight 0 and index 0, so it adds nothing and needs no branch later.
 *
 * Rows grow downwards, so a counter-clockwise turn on screen by theta maps a source offset
 * (x, y) to (x cos + y sin, -x sin + y cos). Going back from the output offset (x, y):
 *   xs = x cos - y sin,   ys = x sin + y cos. */
typedef struct {
  guint32 idx[4];
  float   w[4];
} RotationTaps;

static inline void
rotation_taps (guint32 r, guint32 c, guint32 rows, guint32 cols,
               double cos_t, double sin_t, RotationTaps *t)
{
  double cx = (cols - 1) * 0.5, cy = (rows - 1) * 0.5;
  double x = (double) c - cx, y = (double) r - cy;
  double sc = x * cos_t - y * sin_t + cx;
  double sr = x * sin_t + y * cos_t + cy;
  double c0f = floor (sc), r0f = floor (sr);
  double fx = sc - c0f, fy = sr - r0f;
  double wr[2] = { 1.0 - fy, fy };
  double wc[2] = { 1.0 - fx, fx };

  for (int k = 0; k < 4; k++)
    {
      double rr = r0f + (k >> 1), cc = c0f + (k & 1);
      if (rr >= 0 && rr < rows && cc >= 0 && cc < cols)
        {
          t->idx[k] = (guint32) rr * cols + (guint32) cc;
          t->w[k] = (float) (wr[k >> 1] * wc[k & 1]);
        }
      else
        {
          t->idx[k] = 0;
          t->w[k] = 0.0f;
        }
    }
}

static inline float
apply_taps (const RotationTaps *t, const float *in)
{
  return t->w[0] * in[t->idx[0]] + t->w[1] * in[t->idx[1]] +
         t->w[2] * in[t->idx[2]] + t->w[3] * in[t->idx[3]];
}

void
tg_rotate_image (const float *in, float *out, guint32 rows, guint32 cols, double degrees)
{
  double cos_t, sin_t;

  g_return_if_fail (in != NULL && out != NULL && in != out);
  g_return_if_fail (isfinite (degrees));

  degrees_cos_sin (degrees, &cos_t, &sin_t);
  for (guint32 r = 0; r < rows; r++)
    for (guint32 c = 0; c < cols; c++)
      {
        RotationTaps t;
        rotation_taps (r, c, rows, cols, cos_t, sin_t, &t);
        out[(gsize) r * cols + c] = apply_taps (&t, in);
      }
}

TgDataset *
tg_dataset_rotated (const TgDataset *ds, double degrees)
{
  g_autoptr (TgDataset) out = NULL;
  g_autofree RotationTaps *taps = NULL;
  double cos_t, sin_t;
  float to_float[256];
  gsize dim;

  g_return_val_if_fail (ds != NULL, NULL);
  g_return_val_if_fail (isfinite (degrees), NULL);

  out = tg_dataset_new (ds->n, ds->rows, ds->cols, ds->n_classes, NULL);
  if (out == NULL)
    return NULL;
  memcpy (out->labels, ds->labels, ds->n);

  /* The same angle for every image: the taps are worked out once. */
  dim = ds->dim;
  taps = g_new (RotationTaps, dim);
  degrees_cos_sin (degrees, &cos_t, &sin_t);
  for (guint32 r = 0; r < ds->rows; r++)
    for (guint32 c = 0; c < ds->cols; c++)
      rotation_taps (r, c, ds->rows, ds->cols, cos_t, sin_t, &taps[(gsize) r * ds->cols + c]);

  for (guint v = 0; v < 256; v++)
    to_float[v] = (float) v;

  for (guint32 i = 0; i < ds->n; i++)
    {
      const guint8 *src = ds->pixels + (gsize) i * dim;
      guint8 *dst = out->pixels + (gsize) i * dim;

      for (gsize j = 0; j < dim; j++)
        {
          const RotationTaps *t = &taps[j];
          float v = t->w[0] * to_float[src[t->idx[0]]] + t->w[1] * to_float[src[t->idx[1]]] +
                    t->w[2] * to_float[src[t->idx[2]]] + t->w[3] * to_float[src[t->idx[3]]];
          v = floorf (v + 0.5f);
          dst[j] = (guint8) CLAMP (v, 0.0f, 255.0f);
        }
    }

  return g_steal_pointer (&out);
}

/* ---------------------------------------------------------------------------------------- */
/* The two modes                                                                             */

static gboolean
mode_data_check (const TgDataset *train, const TgDataset *test, double angle,
                 guint32 train_limit, guint32 test_limit, GError **error)
{
  if (train->rows != test->rows || train->cols != test->cols)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_MISMATCH,
                   "training images are %ux%u but test images %ux%u; a model takes one size",
                   train->rows, train->cols, test->rows, test->cols);
      return FALSE;
    }
  if (train->n_classes != test->n_classes)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_MISMATCH,
                   "the training set has %u classes but the test set %u",
                   train->n_classes, test->n_classes);
      return FALSE;
    }
  if (MIN (train->n, train_limit ? train_limit : train->n) == 0
      || MIN (test->n, test_limit ? test_limit : test->n) == 0)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_INVALID, "the %s set holds no examples",
                   MIN (train->n, train_limit ? train_limit : train->n) == 0 ? "training"
                                                                              : "test");
      return FALSE;
    }
  if (!isfinite (angle))
    {
      g_set_error (error, TG_ERROR, TG_ERROR_INVALID, "the rotation angle %g is not finite",
                   angle);
      return FALSE;
    }
  return TRUE;
}

TgModeData *
tg_mode_data_new (const TgDataset *train, const TgDataset *test, double angle,
                  guint32 train_limit, guint32 test_limit, GError **error)
{
  g_return_val_if_fail (train != NULL && test != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!mode_data_check (train, test, angle, train_limit, test_limit, error))
    return NULL;

  g_autoptr (TgModeData) d = g_new0 (TgModeData, 1);
  d->angle = angle;
  d->train0 = tg_dataset_head (train, train_limit ? train_limit : train->n);
  d->test0 = tg_dataset_head (test, test_limit ? test_limit : test->n);
  if (d->train0 != NULL && d->test0 != NULL)
    {
      d->train_rot = tg_dataset_rotated (d->train0, angle);
      d->test_rot = tg_dataset_rotated (d->test0, angle);
    }
  if (d->train_rot == NULL || d->test_rot == NULL)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_RANGE,
                   "out of memory for the rotated copies of %u + %u images of %ux%u",
                   train->n, test->n, train->rows, train->cols);
      return NULL;
    }
  return g_steal_pointer (&d);
}

void
tg_mode_data_free (TgModeData *d)
{
  if (d == NULL)
    return;
  tg_dataset_free (d->train0);
  tg_dataset_free (d->train_rot);
  tg_dataset_free (d->test0);
  tg_dataset_free (d->test_rot);
  g_free (d);
}
