/* SPDX-License-Identifier: MIT */
/* test-data.c — tests of tg-data: IDX reading (plain and gzip, good and every kind of bad),
 * the in-memory data set helpers, the mode mixture, and the rotation.
 *
 * Every bad-input test asserts the exact error code and that the message names the file.
 * The real-MNIST test runs when TG_MNIST_DIR is set; it fails if that directory lacks the
 * files, so a missing download cannot look like a pass. */
#include "tg-data.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

/* ---------------------------------------------------------------------------------------- */
/* Helpers: a scratch directory, tiny IDX files, gzip                                        */

typedef struct {
  char *dir;
} Scratch;

static void
scratch_init (Scratch *s)
{
  g_autoptr (GError) error = NULL;
  s->dir = g_dir_make_tmp ("tg-data-XXXXXX", &error);
  g_assert_no_error (error);
  g_assert_nonnull (s->dir);
}

static void
scratch_clear (Scratch *s)
{
  g_autoptr (GDir) d = g_dir_open (s->dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *p = g_build_filename (s->dir, name, NULL);
      g_assert_cmpint (g_unlink (p), ==, 0);
    }
  g_assert_cmpint (g_rmdir (s->dir), ==, 0);
  g_clear_pointer (&s->dir, g_free);
}

static char *
scratch_write (Scratch *s, const char *name, const void *data, gsize len)
{
  g_autoptr (GError) error = NULL;
  char *path = g_build_filename (s->dir, name, NULL);

  g_file_set_contents (path, data, (gssize) len, &error);
  g_assert_no_error (error);
  return path;
}

static void
put_be32 (GByteArray *a, guint32 v)
{
  guint8 b[4] = { v >> 24, v >> 16, v >> 8, v };
  g_byte_array_append (a, b, 4);
}

/* An IDX images file of n images rows x cols; pixel i of the whole body is (i * 7) % 256. */
static GByteArray *
make_images (guint32 n, guint32 rows, guint32 cols)
{
  GByteArray *a = g_byte_array_new ();

  put_be32 (a, 0x00000803);
  put_be32 (a, n);
  put_be32 (a, rows);
  put_be32 (a, cols);
  for (gsize i = 0; i < (gsize) n * rows * cols; i++)
    {
      guint8 v = (guint8) ((i * 7) % 256);
      g_byte_array_append (a, &v, 1);
    }
  return a;
}

/* An IDX labels file of n labels, label i = i % mod. */
static GByteArray *
make_labels (guint32 n, guint32 mod)
{
  GByteArray *a = g_byte_array_new ();

  put_be32 (a, 0x00000801);
  put_be32 (a, n);
  for (guint32 i = 0; i < n; i++)
    {
      guint8 v = (guint8) (i % mod);
      g_byte_array_append (a, &v, 1);
    }
  return a;
}

static GBytes *
gzip_bytes (const guint8 *data, gsize len)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GZlibCompressor) comp = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 6);
  g_autoptr (GOutputStream) mem = g_memory_output_stream_new_resizable ();
  g_autoptr (GOutputStream) out = g_converter_output_stream_new (mem, G_CONVERTER (comp));
  gsize written = 0;

  g_output_stream_write_all (out, data, len, &written, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_close (out, NULL, &error);
  g_assert_no_error (error);
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (mem));
}

static char *
scratch_write_gz (Scratch *s, const char *name, const guint8 *data, gsize len)
{
  g_autoptr (GBytes) gz = gzip_bytes (data, len);
  gsize gz_len = 0;
  const guint8 *p = g_bytes_get_data (gz, &gz_len);

  g_assert_cmpint (p[0], ==, 0x1f);
  g_assert_cmpint (p[1], ==, 0x8b);
  return scratch_write (s, name, p, gz_len);
}

/* Loads the pair and checks that it fails with code, and that the message names needle. */
static void
assert_load_fails (const char *images, const char *labels, guint32 n_classes,
                   gint code, const char *needle, const char *also)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TgDataset) ds = tg_dataset_load_idx (images, labels, n_classes, &error);
  g_autofree char *base = g_path_get_basename (needle);

  g_assert_null (ds);
  g_assert_error (error, TG_ERROR, code);
  g_test_message ("error as expected: %s", error->message);
  if (strstr (error->message, base) == NULL)
    g_test_fail_printf ("message does not name %s: %s", base, error->message);
  if (also != NULL && strstr (error->message, also) == NULL)
    g_test_fail_printf ("message does not say \"%s\": %s", also, error->message);
}

/* ---------------------------------------------------------------------------------------- */
/* IDX: good files                                                                           */

static void
check_small_dataset (const TgDataset *ds, guint32 n, guint32 rows, guint32 cols)
{
  g_assert_nonnull (ds);
  g_assert_cmpuint (ds->n, ==, n);
  g_assert_cmpuint (ds->rows, ==, rows);
  g_assert_cmpuint (ds->cols, ==, cols);
  g_assert_cmpuint (ds->dim, ==, rows * cols);
  g_assert_cmpuint (ds->n_classes, ==, 10);
  for (gsize i = 0; i < (gsize) n * rows * cols; i++)
    g_assert_cmpuint (ds->pixels[i], ==, (i * 7) % 256);
  for (guint32 i = 0; i < n; i++)
    g_assert_cmpuint (ds->labels[i], ==, i % 10);
}

static void
test_idx_plain_round_trip (void)
{
  Scratch s;
  g_autoptr (GByteArray) im = make_images (13, 5, 4);
  g_autoptr (GByteArray) lb = make_labels (13, 10);
  g_autoptr (GError) error = NULL;
  g_autoptr (TgDataset) ds = NULL;
  g_autofree char *ip = NULL, *lp = NULL;

  scratch_init (&s);
  ip = scratch_write (&s, "x-images-idx3-ubyte", im->data, im->len);
  lp = scratch_write (&s, "x-labels-idx1-ubyte", lb->data, lb->len);
  ds = tg_dataset_load_idx (ip, lp, 10, &error);
  g_assert_no_error (error);
  check_small_dataset (ds, 13, 5, 4);
  scratch_clear (&s);
}

static void
test_idx_gz_round_trip (void)
{
  Scratch s;
  g_autoptr (GByteArray) im = make_images (300, 28, 28);
  g_autoptr (GByteArray) lb = make_labels (300, 10);
  g_autoptr (GError) error = NULL;
  g_autoptr (TgDataset) ds = NULL;
  g_autofree char *ip = NULL, *lp = NULL;

  scratch_init (&s);
  ip = scratch_write_gz (&s, "x-images-idx3-ubyte.gz", im->data, im->len);
  lp = scratch_write_gz (&s, "x-labels-idx1-ubyte.gz", lb->data, lb->len);
  ds = tg_dataset_load_idx (ip, lp, 10, &error);
  g_assert_no_error (error);
  check_small_dataset (ds, 300, 28, 28);
  scratch_clear (&s);
}

static void
test_idx_load_dir (void)
{
  Scratch s;
  g_autoptr (GByteArray) im = make_images (7, 3, 3);
  g_autoptr (GByteArray) lb = make_labels (7, 10);
  g_autoptr (GError) error = NULL;
  g_autoptr (TgDataset) ds = NULL;
  g_autofree char *ip = NULL, *lp = NULL;

  scratch_init (&s);
  /* Images plain, labels gzipped: each file is found on its own. */
  ip = scratch_write (&s, "t10k-images-idx3-ubyte", im->data, im->len);
  lp = scratch_write_gz (&s, "t10k-labels-idx1-ubyte.gz", lb->data, lb->len);
  ds = tg_dataset_load_dir (s.dir, "t10k", 10, &error);
  g_assert_no_error (error);
  check_small_dataset (ds, 7, 3, 3);

  /* The other split is not there: the message names the directory and both file names. */
  g_clear_pointer (&ds, tg_dataset_free);
  ds = tg_dataset_load_dir (s.dir, "train", 10, &error);
  g_assert_null (ds);
  g_assert_error (error, TG_ERROR, TG_ERROR_IO);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, s.dir));
  g_assert_nonnull (strstr (error->message, "train-images-idx3-ubyte.gz"));
  g_assert_nonnull (strstr (error->message, "train-labels-idx1-ubyte"));
  g_clear_error (&error);

  /* Only the labels are missing. */
  {
    g_autofree char *p = scratch_write (&s, "train-images-idx3-ubyte", im->data, im->len);
    ds = tg_dataset_load_dir (s.dir, "train", 10, &error);
    g_assert_null (ds);
    g_assert_error (error, TG_ERROR, TG_ERROR_IO);
    g_assert_nonnull (strstr (error->message, "train-labels-idx1-ubyte"));
    g_assert_null (strstr (error->message, "train-images"));
    g_clear_error (&error);
  }
  scratch_clear (&s);
}

static void
test_idx_load_dir_missing (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TgDataset) ds = tg_dataset_load_dir ("/nonexistent/tg-data-dir", "train", 10,
                                                  &error);
  g_assert_null (ds);
  g_assert_error (error, TG_ERROR, TG_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "/nonexistent/tg-data-dir"));
}

/* ---------------------------------------------------------------------------------------- */
/* IDX: bad files                                                                            */

typedef struct {
  Scratch s;
  GByteArray *im, *lb;
  char *ip, *lp;  /* paths of a good images and labels file */
} Pair;

static void
pair_init (Pair *p, guint32 n)
{
  scratch_init (&p->s);
  p->im = make_images (n, 4, 3);
  p->lb = make_labels (n, 10);
  p->ip = scratch_write (&p->s, "good-images-idx3-ubyte", p->im->data, p->im->len);
  p->lp = scratch_write (&p->s, "good-labels-idx1-ubyte", p->lb->data, p->lb->len);
}

static void
pair_clear (Pair *p)
{
  g_byte_array_unref (p->im);
  g_byte_array_unref (p->lb);
  g_free (p->ip);
  g_free (p->lp);
  scratch_clear (&p->s);
}

static void
test_idx_missing_file (void)
{
  Pair p;
  g_autofree char *gone = NULL;

  pair_init (&p, 5);
  gone = g_build_filename (p.s.dir, "absent-images-idx3-ubyte", NULL);
  assert_load_fails (gone, p.lp, 10, TG_ERROR_IO, gone, NULL);
  assert_load_fails (p.ip, gone, 10, TG_ERROR_IO, gone, NULL);
  /* A directory where a file should be. */
  assert_load_fails (p.s.dir, p.lp, 10, TG_ERROR_IO, p.s.dir, NULL);
  pair_clear (&p);
}

static void
test_idx_empty_file (void)
{
  Pair p;
  g_autofree char *empty = NULL, *empty_gz = NULL;

  pair_init (&p, 5);
  empty = scratch_write (&p.s, "empty-images-idx3-ubyte", "", 0);
  empty_gz = scratch_write (&p.s, "empty-labels-idx1-ubyte.gz", "", 0);
  assert_load_fails (empty, p.lp, 10, TG_ERROR_FORMAT, empty, "empty");
  assert_load_fails (p.ip, empty, 10, TG_ERROR_FORMAT, empty, "empty");
  assert_load_fails (p.ip, empty_gz, 10, TG_ERROR_FORMAT, empty_gz, "empty");
  pair_clear (&p);
}

static void
test_idx_truncated_header (void)
{
  Pair p;
  g_autofree char *a = NULL, *b = NULL, *c = NULL;

  pair_init (&p, 5);
  a = scratch_write (&p.s, "a-images-idx3-ubyte", p.im->data, 3);   /* inside the magic */
  b = scratch_write (&p.s, "b-images-idx3-ubyte", p.im->data, 10);  /* inside the dims */
  c = scratch_write (&p.s, "c-labels-idx1-ubyte", p.lb->data, 6);
  assert_load_fails (a, p.lp, 10, TG_ERROR_FORMAT, a, "truncated header");
  assert_load_fails (b, p.lp, 10, TG_ERROR_FORMAT, b, "truncated header");
  assert_load_fails (p.ip, c, 10, TG_ERROR_FORMAT, c, "truncated header");
  pair_clear (&p);
}

static void
test_idx_truncated_body (void)
{
  Pair p;
  g_autofree char *a = NULL, *b = NULL;

  pair_init (&p, 5);
  a = scratch_write (&p.s, "a-images-idx3-ubyte", p.im->data, p.im->len - 1);
  b = scratch_write (&p.s, "b-labels-idx1-ubyte", p.lb->data, p.lb->len - 2);
  assert_load_fails (a, p.lp, 10, TG_ERROR_FORMAT, a, "truncated");
  assert_load_fails (p.ip, b, 10, TG_ERROR_FORMAT, b, "truncated");
  pair_clear (&p);
}

static void
test_idx_trailing_bytes (void)
{
  Pair p;
  g_autofree char *a = NULL, *b = NULL;

  pair_init (&p, 5);
  g_byte_array_append (p.im, (const guint8 *) "xyz", 3);
  g_byte_array_append (p.lb, (const guint8 *) "\0", 1);
  a = scratch_write (&p.s, "a-images-idx3-ubyte", p.im->data, p.im->len);
  b = scratch_write (&p.s, "b-labels-idx1-ubyte", p.lb->data, p.lb->len);
  assert_load_fails (a, p.lp, 10, TG_ERROR_FORMAT, a, "trailing");
  assert_load_fails (p.ip, b, 10, TG_ERROR_FORMAT, b, "trailing");
  pair_clear (&p);
}

static void
test_idx_wrong_magic (void)
{
  Pair p;
  g_autofree char *a = NULL;

  pair_init (&p, 5);
  /* Labels where images belong and the other way round: right type byte, wrong dims. */
  assert_load_fails (p.lp, p.ip, 10, TG_ERROR_FORMAT, p.lp, "magic");
  assert_load_fails (p.ip, p.ip, 10, TG_ERROR_FORMAT, p.ip, "magic");
  /* A float IDX (type 0x0d) is not ours either. */
  p.im->data[2] = 0x0d;
  a = scratch_write (&p.s, "float-images-idx3-ubyte", p.im->data, p.im->len);
  assert_load_fails (a, p.lp, 10, TG_ERROR_FORMAT, a, "0x00000d03");
  pair_clear (&p);
}

static void
test_idx_absurd_dimensions (void)
{
  Pair p;
  g_autoptr (GByteArray) h = g_byte_array_new ();
  g_autofree char *huge = NULL, *zero = NULL, *wide = NULL, *big = NULL, *big_gz = NULL;

  pair_init (&p, 5);

  /* 1e9 images of 28 x 28 promised by a 16-byte file. */
  put_be32 (h, 0x00000803); put_be32 (h, 1000000000u); put_be32 (h, 28); put_be32 (h, 28);
  huge = scratch_write (&p.s, "huge-images-idx3-ubyte", h->data, h->len);
  assert_load_fails (huge, p.lp, 10, TG_ERROR_RANGE, huge, "1000000000");

  g_byte_array_set_size (h, 0);
  put_be32 (h, 0x00000803); put_be32 (h, 5); put_be32 (h, 0); put_be32 (h, 3);
  zero = scratch_write (&p.s, "zero-images-idx3-ubyte", h->data, h->len);
  assert_load_fails (zero, p.lp, 10, TG_ERROR_RANGE, zero, NULL);

  g_byte_array_set_size (h, 0);
  put_be32 (h, 0x00000803); put_be32 (h, 5); put_be32 (h, 3); put_be32 (h, 0xffffffffu);
  wide = scratch_write (&p.s, "wide-images-idx3-ubyte", h->data, h->len);
  assert_load_fails (wide, p.lp, 10, TG_ERROR_RANGE, wide, NULL);

  /* Within the limits (78 GB) but not in a 16-byte file: a size error, found before any
   * allocation (an attempt to allocate 78 GB would abort this test). */
  g_byte_array_set_size (h, 0);
  put_be32 (h, 0x00000803); put_be32 (h, TG_IDX_MAX_COUNT); put_be32 (h, 28); put_be32 (h, 28);
  big = scratch_write (&p.s, "big-images-idx3-ubyte", h->data, h->len);
  assert_load_fails (big, p.lp, 10, TG_ERROR_FORMAT, big, "truncated");
  big_gz = scratch_write_gz (&p.s, "big-images-idx3-ubyte.gz", h->data, h->len);
  assert_load_fails (big_gz, p.lp, 10, TG_ERROR_FORMAT, big_gz, NULL);

  pair_clear (&p);
}

static void
test_idx_count_mismatch (void)
{
  Pair p;
  g_autoptr (GByteArray) lb = make_labels (6, 10);
  g_autofree char *b = NULL;

  pair_init (&p, 5);
  b = scratch_write (&p.s, "six-labels-idx1-ubyte", lb->data, lb->len);
  assert_load_fails (p.ip, b, 10, TG_ERROR_MISMATCH, b, "5 images");
  assert_load_fails (p.ip, b, 10, TG_ERROR_MISMATCH, p.ip, "6 labels");
  pair_clear (&p);
}

static void
test_idx_label_out_of_range (void)
{
  Pair p;
  g_autofree char *b = NULL;

  pair_init (&p, 8);
  p.lb->data[8 + 5] = 12;
  b = scratch_write (&p.s, "t10k-labels-idx1-ubyte", p.lb->data, p.lb->len);
  assert_load_fails (p.ip, b, 10, TG_ERROR_RANGE, b,
                     "label 12 at index 5 is not below 10 classes");
  /* The good labels (0..7) are out of range for 5 classes too. */
  assert_load_fails (p.ip, p.lp, 5, TG_ERROR_RANGE, p.lp, "label 5 at index 5");
  pair_clear (&p);
}

static void
test_idx_corrupt_gzip (void)
{
  Pair p;
  guint8 buf[64];
  g_autofree char *a = NULL;

  pair_init (&p, 5);
  /* A valid gzip header (deflate, no flags), then bytes that are no deflate stream. */
  memset (buf, 0xff, sizeof buf);
  memcpy (buf, "\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03", 10);
  a = scratch_write (&p.s, "bad-images-idx3-ubyte.gz", buf, sizeof buf);
  assert_load_fails (a, p.lp, 10, TG_ERROR_FORMAT, a, "gzip");
  pair_clear (&p);
}

static void
test_idx_gz_truncated (void)
{
  Pair p;
  g_autoptr (GByteArray) im = make_images (50, 10, 10);
  g_autoptr (GByteArray) lb = make_labels (50, 10);
  g_autoptr (GBytes) gz = gzip_bytes (im->data, im->len);
  gsize len = 0;
  const guint8 *d = g_bytes_get_data (gz, &len);
  g_autofree char *lp = NULL, *chopped = NULL, *short_body = NULL, *lying = NULL;
  g_autofree char *plain_named_gz = NULL;

  pair_init (&p, 5);
  lp = scratch_write (&p.s, "fifty-labels-idx1-ubyte", lb->data, lb->len);

  /* The last 20 bytes of the compressed file are gone. */
  chopped = scratch_write (&p.s, "chopped-images-idx3-ubyte.gz", d, len - 20);
  assert_load_fails (chopped, lp, 10, TG_ERROR_FORMAT, chopped, NULL);

  /* A well-formed gzip of a truncated IDX file: the trailer's size gives it away before
   * anything is allocated. */
  {
    g_autoptr (GBytes) g2 = gzip_bytes (im->data, im->len - 100);
    gsize l2 = 0;
    const guint8 *d2 = g_bytes_get_data (g2, &l2);
    short_body = scratch_write (&p.s, "short-images-idx3-ubyte.gz", d2, l2);
    assert_load_fails (short_body, lp, 10, TG_ERROR_FORMAT, short_body, "trailer");

    /* The same with a trailer that lies about the size: caught while decompressing. */
    {
      g_autofree guint8 *d3 = g_memdup2 (d2, l2);
      guint32 total = im->len;
      d3[l2 - 4] = total; d3[l2 - 3] = total >> 8; d3[l2 - 2] = total >> 16;
      d3[l2 - 1] = total >> 24;
      lying = scratch_write (&p.s, "lying-images-idx3-ubyte.gz", d3, l2);
      assert_load_fails (lying, lp, 10, TG_ERROR_FORMAT, lying, "truncated");
    }
  }

  /* Plain data under a .gz name. */
  plain_named_gz = scratch_write (&p.s, "plain-images-idx3-ubyte.gz", im->data, im->len);
  assert_load_fails (plain_named_gz, lp, 10, TG_ERROR_FORMAT, plain_named_gz, "not gzip");

  pair_clear (&p);
}

static void
test_idx_gz_without_suffix (void)
{
  Pair p;
  g_autofree char *a = NULL;

  pair_init (&p, 5);
  a = scratch_write_gz (&p.s, "zipped-images-idx3-ubyte", p.im->data, p.im->len);
  assert_load_fails (a, p.lp, 10, TG_ERROR_FORMAT, a, ".gz");
  pair_clear (&p);
}

static void
test_idx_bad_classes (void)
{
  Pair p;
  g_autoptr (GError) error = NULL;
  g_autoptr (TgDataset) ds = NULL;

  pair_init (&p, 5);
  ds = tg_dataset_load_idx (p.ip, p.lp, 0, &error);
  g_assert_null (ds);
  g_assert_error (error, TG_ERROR, TG_ERROR_INVALID);
  pair_clear (&p);
}

/* ---------------------------------------------------------------------------------------- */
/* Data sets in memory                                                                       */

static TgDataset *
make_dataset (guint32 n, guint32 rows, guint32 cols)
{
  g_autoptr (GError) error = NULL;
  TgDataset *ds = tg_dataset_new (n, rows, cols, 10, &error);

  g_assert_no_error (error);
  for (gsize i = 0; i < (gsize) n * rows * cols; i++)
    ds->pixels[i] = (guint8) ((i * 31 + 3) % 256);
  for (guint32 i = 0; i < n; i++)
    ds->labels[i] = (guint8) ((i * 3) % 10);
  return ds;
}

static void
test_dataset_new_copy_head (void)
{
  g_autoptr (TgDataset) ds = make_dataset (9, 4, 5);
  g_autoptr (TgDataset) cp = tg_dataset_copy (ds);
  g_autoptr (TgDataset) hd = tg_dataset_head (ds, 4);
  g_autoptr (TgDataset) all = tg_dataset_head (ds, 1000);
  g_autoptr (TgDataset) none = tg_dataset_head (ds, 0);
  g_autoptr (GError) error = NULL;
  g_autoptr (TgDataset) bad = NULL;

  g_assert_cmpuint (ds->dim, ==, 20);
  g_assert_cmpuint (cp->n, ==, 9);
  g_assert_true (cp->pixels != ds->pixels);
  g_assert_cmpmem (cp->pixels, 9 * 20, ds->pixels, 9 * 20);
  g_assert_cmpmem (cp->labels, 9, ds->labels, 9);
  g_assert_cmpuint (hd->n, ==, 4);
  g_assert_cmpmem (hd->pixels, 4 * 20, ds->pixels, 4 * 20);
  g_assert_cmpmem (hd->labels, 4, ds->labels, 4);
  g_assert_cmpuint (all->n, ==, 9);
  g_assert_cmpuint (none->n, ==, 0);
  g_assert_cmpuint (none->rows, ==, 4);

  bad = tg_dataset_new (10, 0, 28, 10, &error);
  g_assert_null (bad);
  g_assert_error (error, TG_ERROR, TG_ERROR_RANGE);
  g_clear_error (&error);
  bad = tg_dataset_new (TG_IDX_MAX_COUNT + 1u, 28, 28, 10, &error);
  g_assert_null (bad);
  g_assert_error (error, TG_ERROR, TG_ERROR_RANGE);
}

static void
test_dataset_gather (void)
{
  g_autoptr (TgDataset) ds = make_dataset (6, 2, 3);
  guint32 idx[3] = { 5, 0, 5 };
  float out[3 * 6];
  guint8 labels[3];

  tg_dataset_gather (ds, NULL, 2, 3, out, labels);
  for (guint i = 0; i < 3; i++)
    {
      g_assert_cmpuint (labels[i], ==, ds->labels[2 + i]);
      for (guint j = 0; j < 6; j++)
        g_assert_cmpfloat (out[i * 6 + j], ==, ds->pixels[(2 + i) * 6 + j] / 255.0f);
    }

  tg_dataset_gather (ds, idx, 0, 3, out, labels);
  for (guint i = 0; i < 3; i++)
    {
      g_assert_cmpuint (labels[i], ==, ds->labels[idx[i]]);
      for (guint j = 0; j < 6; j++)
        g_assert_cmpfloat (out[i * 6 + j], ==, ds->pixels[idx[i] * 6 + j] / 255.0f);
    }

  /* Labels are optional; 0 and 255 map to exactly 0 and 1. */
  ds->pixels[0] = 0;
  ds->pixels[1] = 255;
  tg_dataset_gather (ds, NULL, 0, 1, out, NULL);
  g_assert_cmpfloat (out[0], ==, 0.0f);
  g_assert_cmpfloat (out[1], ==, 1.0f);
}

static void
test_mixture_coins (void)
{
  guint32 n = 20000, ones = 0;
  g_autofree guint8 *coins = g_new (guint8, n);
  g_autofree guint8 *again = g_new (guint8, n);
  uint64_t rng = tg_rng_seed (42), rng2 = tg_rng_seed (42), ref = tg_rng_seed (42);

  tg_mixture_coins (&rng, coins, n);
  tg_mixture_coins (&rng2, again, n);
  g_assert_cmpmem (coins, n, again, n);
  g_assert_cmpuint (rng, ==, rng2);
  for (guint32 i = 0; i < n; i++)
    {
      g_assert_cmpuint (coins[i], <=, 1);
      g_assert_cmpuint (coins[i], ==, tg_rng_below (&ref, 2)); /* one draw each, in order */
      ones += coins[i];
    }
  g_assert_cmpuint (rng, ==, ref);
  /* 50/50 within 5 standard deviations (sd = 70.7 for n = 20000). */
  g_assert_cmpint (ABS ((gint) ones - (gint) n / 2), <, 354);

  rng2 = tg_rng_seed (43);
  tg_mixture_coins (&rng2, again, n);
  g_assert_true (memcmp (coins, again, n) != 0);
}

/* ---------------------------------------------------------------------------------------- */
/* Rotation                                                                                  */

static float *
random_image (guint32 rows, guint32 cols, uint64_t seed)
{
  uint64_t rng = tg_rng_seed (seed);
  float *im = g_new (float, (gsize) rows * cols);
  for (gsize i = 0; i < (gsize) rows * cols; i++)
    im[i] = tg_rng_uniform (&rng);
  return im;
}

/* The slow, obviously-correct reference: for each output pixel, turn its offset from the
 * centre back by the angle (in double, with the y axis pointing up as on paper), and
 * interpolate between the four surrounding pixels, each outside pixel counting as 0. */
static double
ref_pixel (const float *in, guint32 rows, guint32 cols, double x_up, double y_up)
{
  double c = x_up + (cols - 1) / 2.0;
  double r = (rows - 1) / 2.0 - y_up;
  double c0 = floor (c), r0 = floor (r);
  double sum = 0;

  for (int dr = 0; dr <= 1; dr++)
    for (int dc = 0; dc <= 1; dc++)
      {
        double rr = r0 + dr, cc = c0 + dc;
        double w = (1 - fabs (r - rr)) * (1 - fabs (c - cc));
        if (rr >= 0 && rr < rows && cc >= 0 && cc < cols)
          sum += w * in[(gsize) rr * cols + (gsize) cc];
      }
  return sum;
}

static void
ref_rotate (const float *in, double *out, guint32 rows, guint32 cols, double degrees)
{
  double t = degrees * G_PI / 180.0;

  for (guint32 r = 0; r < rows; r++)
    for (guint32 c = 0; c < cols; c++)
      {
        double x = c - (cols - 1) / 2.0, y = (rows - 1) / 2.0 - r;  /* y up */
        /* Inverse of a counter-clockwise turn by t is a turn by -t. */
        double xs = x * cos (t) + y * sin (t);
        double ys = -x * sin (t) + y * cos (t);
        out[(gsize) r * cols + c] = ref_pixel (in, rows, cols, xs, ys);
      }
}

static void
test_rotate_identity (void)
{
  const guint32 sizes[][2] = { { 28, 28 }, { 7, 7 }, { 5, 9 } };

  for (guint k = 0; k < G_N_ELEMENTS (sizes); k++)
    {
      guint32 rows = sizes[k][0], cols = sizes[k][1];
      g_autofree float *in = random_image (rows, cols, k);
      g_autofree float *out = g_new (float, rows * cols);

      tg_rotate_image (in, out, rows, cols, 0.0);
      g_assert_cmpmem (out, rows * cols * sizeof (float), in, rows * cols * sizeof (float));
      tg_rotate_image (in, out, rows, cols, 360.0);
      g_assert_cmpmem (out, rows * cols * sizeof (float), in, rows * cols * sizeof (float));
    }
}

static void
test_rotate_four_quarter_turns (void)
{
  const guint32 sides[] = { 28, 7, 6 };

  for (guint k = 0; k < G_N_ELEMENTS (sides); k++)
    {
      guint32 n = sides[k], dim = n * n;
      g_autofree float *in = random_image (n, n, 100 + k);
      g_autofree float *a = g_memdup2 (in, dim * sizeof (float));
      g_autofree float *b = g_new (float, dim);

      for (int turn = 0; turn < 4; turn++)
        {
          tg_rotate_image (a, b, n, n, 90.0);
          if (turn < 3)
            {
              /* Not the identity on the way round (the image is random). */
              gboolean differs = FALSE;
              for (guint32 i = 0; i < dim; i++)
                differs |= b[i] != in[i];
              g_assert_true (differs);
            }
          memcpy (a, b, dim * sizeof (float));
        }
      for (guint32 i = 0; i < dim; i++)
        g_assert_cmpfloat_with_epsilon (a[i], in[i], 1e-6);

      /* -90 undoes +90, and 90 = -270. */
      tg_rotate_image (in, a, n, n, 90.0);
      tg_rotate_image (a, b, n, n, -90.0);
      for (guint32 i = 0; i < dim; i++)
        g_assert_cmpfloat_with_epsilon (b[i], in[i], 1e-6);
      tg_rotate_image (in, b, n, n, -270.0);
      for (guint32 i = 0; i < dim; i++)
        g_assert_cmpfloat_with_epsilon (b[i], a[i], 1e-6);
    }
}

static void
test_rotate_convention (void)
{
  /* 7 x 7, centre (3, 3). A bright pixel 2 to the right of centre (row 3, col 5), turned by
   * +90 (counter-clockwise on screen), must end up 2 above centre: row 1, col 3. */
  float in[49] = { 0 }, out[49];

  in[3 * 7 + 5] = 1.0f;
  tg_rotate_image (in, out, 7, 7, 90.0);
  for (guint i = 0; i < 49; i++)
    g_assert_cmpfloat_with_epsilon (out[i], i == 1 * 7 + 3 ? 1.0f : 0.0f, 1e-6);

  /* +180: to the left (row 3, col 1). -90: below (row 5, col 3). */
  tg_rotate_image (in, out, 7, 7, 180.0);
  g_assert_cmpfloat_with_epsilon (out[3 * 7 + 1], 1.0f, 1e-6);
  tg_rotate_image (in, out, 7, 7, -90.0);
  g_assert_cmpfloat_with_epsilon (out[5 * 7 + 3], 1.0f, 1e-6);

  /* 28 x 28, centre (13.5, 13.5): pixel (13, 27) lies 13.5 to the right of centre and half a
   * pixel above; +90 puts it 13.5 above and half a pixel to the left: (0, 13). */
  {
    float big[784] = { 0 }, bout[784];
    big[13 * 28 + 27] = 1.0f;
    tg_rotate_image (big, bout, 28, 28, 90.0);
    g_assert_cmpfloat_with_epsilon (bout[0 * 28 + 13], 1.0f, 1e-6);
  }

  /* +45: the pixel 2 right of centre goes to (3 - 2 sin 45, 3 + 2 cos 45) = (1.59, 4.41):
   * the mass lies up and to the right of centre. */
  {
    double mr = 0, mc = 0, m = 0;
    tg_rotate_image (in, out, 7, 7, 45.0);
    for (guint r = 0; r < 7; r++)
      for (guint c = 0; c < 7; c++)
        {
          m += out[r * 7 + c];
          mr += r * out[r * 7 + c];
          mc += c * out[r * 7 + c];
        }
    g_assert_cmpfloat (m, >, 0.0);
    g_assert_cmpfloat (mr / m, <, 3.0);
    g_assert_cmpfloat (mc / m, >, 3.0);
  }
}

static void
test_rotate_mass_45 (void)
{
  /* A Gaussian blob in the middle of 28 x 28: turning it keeps its mass within 2%
   * (bilinear resampling blurs but hardly loses) and its centre of mass. */
  float in[784], out[784];
  double m_in = 0, m_out = 0, mr = 0, mc = 0;

  for (guint r = 0; r < 28; r++)
    for (guint c = 0; c < 28; c++)
      {
        double dr = r - 13.5, dc = c - 13.5;
        in[r * 28 + c] = (float) exp (-(dr * dr / 18.0 + dc * dc / 8.0));
        m_in += in[r * 28 + c];
      }
  tg_rotate_image (in, out, 28, 28, 45.0);
  for (guint r = 0; r < 28; r++)
    for (guint c = 0; c < 28; c++)
      {
        m_out += out[r * 28 + c];
        mr += r * out[r * 28 + c];
        mc += c * out[r * 28 + c];
      }
  g_test_message ("mass %.4f -> %.4f", m_in, m_out);
  g_assert_cmpfloat (fabs (m_out - m_in) / m_in, <, 0.02);
  g_assert_cmpfloat_with_epsilon (mr / m_out, 13.5, 0.05);
  g_assert_cmpfloat_with_epsilon (mc / m_out, 13.5, 0.05);
}

static void
test_rotate_half_turn_is_flip (void)
{
  const guint32 sizes[][2] = { { 28, 28 }, { 7, 7 }, { 4, 9 } };

  for (guint k = 0; k < G_N_ELEMENTS (sizes); k++)
    {
      guint32 rows = sizes[k][0], cols = sizes[k][1];
      g_autofree float *in = random_image (rows, cols, 200 + k);
      g_autofree float *out = g_new (float, rows * cols);

      tg_rotate_image (in, out, rows, cols, 180.0);
      for (guint32 r = 0; r < rows; r++)
        for (guint32 c = 0; c < cols; c++)
          g_assert_cmpfloat_with_epsilon (out[r * cols + c],
                                          in[(rows - 1 - r) * cols + (cols - 1 - c)], 1e-6);
    }
}

static void
test_rotate_matches_reference (void)
{
  const double angles[] = { 45.0, -45.0, 30.0, 123.4, 90.0, 270.0, 1.0, -359.0 };
  const guint32 sizes[][2] = { { 28, 28 }, { 9, 13 } };
  guint checked = 0;

  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    for (guint a = 0; a < G_N_ELEMENTS (angles); a++)
      {
        guint32 rows = sizes[s][0], cols = sizes[s][1];
        g_autofree float *in = random_image (rows, cols, 300 + s);
        g_autofree float *out = g_new (float, rows * cols);
        g_autofree double *ref = g_new (double, rows * cols);

        tg_rotate_image (in, out, rows, cols, angles[a]);
        ref_rotate (in, ref, rows, cols, angles[a]);
        for (guint32 i = 0; i < rows * cols; i++, checked++)
          g_assert_cmpfloat_with_epsilon (out[i], ref[i], 1e-5);
      }
  g_assert_cmpuint (checked, >, 0);
}

static void
test_rotate_dataset (void)
{
  g_autoptr (TgDataset) ds = make_dataset (20, 28, 28);
  g_autoptr (TgDataset) rot = NULL;
  g_autoptr (TgDataset) same = NULL;
  float in[784], out[784];
  guint changed = 0;

  rot = tg_dataset_rotated (ds, 45.0);
  g_assert_nonnull (rot);
  g_assert_cmpuint (rot->n, ==, 20);
  g_assert_cmpuint (rot->rows, ==, 28);
  g_assert_cmpmem (rot->labels, 20, ds->labels, 20);

  /* Each image is what tg_rotate_image gives on the pixel values, rounded to nearest. */
  for (guint i = 0; i < 20; i++)
    {
      for (guint j = 0; j < 784; j++)
        in[j] = ds->pixels[i * 784 + j];
      tg_rotate_image (in, out, 28, 28, 45.0);
      for (guint j = 0; j < 784; j++)
        {
          double want = floor (out[j] + 0.5);
          want = CLAMP (want, 0.0, 255.0);
          g_assert_cmpuint (rot->pixels[i * 784 + j], ==, (guint) want);
          changed += rot->pixels[i * 784 + j] != ds->pixels[i * 784 + j];
        }
    }
  g_assert_cmpuint (changed, >, 784);

  same = tg_dataset_rotated (ds, 0.0);
  g_assert_cmpmem (same->pixels, 20 * 784, ds->pixels, 20 * 784);
}

/* ---------------------------------------------------------------------------------------- */
/* The real MNIST                                                                            */

static void
test_mnist_real (void)
{
  const char *dir = g_getenv ("TG_MNIST_DIR");
  /* The published class counts of MNIST. */
  const guint train_hist[10] = { 5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949 };
  const guint test_hist[10] = { 980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009 };
  g_autoptr (GError) error = NULL;
  g_autoptr (TgDataset) train = NULL;
  g_autoptr (TgDataset) test = NULL;
  g_autoptr (TgDataset) rot = NULL;
  guint hist[10] = { 0 };
  guint sum = 0;
  double secs;

  if (dir == NULL || dir[0] == '\0')
    {
      g_test_skip ("TG_MNIST_DIR is not set");
      return;
    }

  train = tg_dataset_load_dir (dir, "train", 10, &error);
  if (train == NULL)
    {
      g_test_fail_printf ("TG_MNIST_DIR=%s but the MNIST training set does not load: %s "
                          "(fetch the data, or unset TG_MNIST_DIR to skip this test)",
                          dir, error->message);
      return;
    }
  test = tg_dataset_load_dir (dir, "t10k", 10, &error);
  if (test == NULL)
    {
      g_test_fail_printf ("TG_MNIST_DIR=%s but the MNIST test set does not load: %s",
                          dir, error->message);
      return;
    }

  g_assert_cmpuint (train->n, ==, 60000);
  g_assert_cmpuint (test->n, ==, 10000);
  g_assert_cmpuint (train->rows, ==, 28);
  g_assert_cmpuint (train->cols, ==, 28);
  g_assert_cmpuint (test->rows, ==, 28);
  g_assert_cmpuint (test->cols, ==, 28);
  g_assert_cmpuint (train->labels[0], ==, 5);
  g_assert_cmpuint (test->labels[0], ==, 7);

  for (guint32 i = 0; i < train->n; i++)
    hist[train->labels[i]]++;
  for (guint c = 0; c < 10; c++)
    {
      g_assert_cmpuint (hist[c], ==, train_hist[c]);
      sum += hist[c];
    }
  g_assert_cmpuint (sum, ==, 60000);

  memset (hist, 0, sizeof hist);
  sum = 0;
  for (guint32 i = 0; i < test->n; i++)
    hist[test->labels[i]]++;
  for (guint c = 0; c < 10; c++)
    {
      g_assert_cmpuint (hist[c], ==, test_hist[c]);
      sum += hist[c];
    }
  g_assert_cmpuint (sum, ==, 10000);

  /* Rotating the training set is part of every run; report how long it takes. */
  g_test_timer_start ();
  rot = tg_dataset_rotated (train, 45.0);
  secs = g_test_timer_elapsed ();
  g_assert_nonnull (rot);
  g_test_message ("tg_dataset_rotated: 60000 images by 45 degrees in %.3f s", secs);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/data/idx/plain-round-trip", test_idx_plain_round_trip);
  g_test_add_func ("/data/idx/gz-round-trip", test_idx_gz_round_trip);
  g_test_add_func ("/data/idx/load-dir", test_idx_load_dir);
  g_test_add_func ("/data/idx/load-dir-missing", test_idx_load_dir_missing);
  g_test_add_func ("/data/idx/missing-file", test_idx_missing_file);
  g_test_add_func ("/data/idx/empty-file", test_idx_empty_file);
  g_test_add_func ("/data/idx/truncated-header", test_idx_truncated_header);
  g_test_add_func ("/data/idx/truncated-body", test_idx_truncated_body);
  g_test_add_func ("/data/idx/trailing-bytes", test_idx_trailing_bytes);
  g_test_add_func ("/data/idx/wrong-magic", test_idx_wrong_magic);
  g_test_add_func ("/data/idx/absurd-dimensions", test_idx_absurd_dimensions);
  g_test_add_func ("/data/idx/count-mismatch", test_idx_count_mismatch);
  g_test_add_func ("/data/idx/label-out-of-range", test_idx_label_out_of_range);
  g_test_add_func ("/data/idx/corrupt-gzip", test_idx_corrupt_gzip);
  g_test_add_func ("/data/idx/gz-truncated", test_idx_gz_truncated);
  g_test_add_func ("/data/idx/gz-without-suffix", test_idx_gz_without_suffix);
  g_test_add_func ("/data/idx/bad-classes", test_idx_bad_classes);
  g_test_add_func ("/data/dataset/new-copy-head", test_dataset_new_copy_head);
  g_test_add_func ("/data/dataset/gather", test_dataset_gather);
  g_test_add_func ("/data/dataset/mixture-coins", test_mixture_coins);
  g_test_add_func ("/data/rotate/identity", test_rotate_identity);
  g_test_add_func ("/data/rotate/four-quarter-turns", test_rotate_four_quarter_turns);
  g_test_add_func ("/data/rotate/convention", test_rotate_convention);
  g_test_add_func ("/data/rotate/mass-45", test_rotate_mass_45);
  g_test_add_func ("/data/rotate/half-turn-is-flip", test_rotate_half_turn_is_flip);
  g_test_add_func ("/data/rotate/matches-reference", test_rotate_matches_reference);
  g_test_add_func ("/data/rotate/dataset", test_rotate_dataset);
  g_test_add_func ("/data/mnist/real", test_mnist_real);

  return g_test_run ();
}
