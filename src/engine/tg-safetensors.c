/* SPDX-License-Identifier: MIT */
/* tg-safetensors.c — reading and writing the safetensors format, with no idea of a model.
 *
 * Reading trusts nothing. In order: the file must be a regular file (opened without
 * blocking, so a FIFO cannot hang us); the header length must fit the file and the caller's
 * bound; a scan counts nesting outside strings, so a crafted header cannot overflow the
 * stack of json-glib's recursive parser, and refuses anything after the header object; the
 * parsed tree must have as many members as the scan saw colons (json-glib keeps only the
 * last of duplicate keys); every tensor is F32 with a shape of bounded size matching its
 * byte range; the ranges tile the data exactly; every value is finite.
 *
 * Not here: the header's scan and parse (tg-safetensors-header.c); which tensors a file should hold and what they mean (tg-checkpoint.c). */
#include "tg-safetensors.h"
#include "tg-safetensors-header.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

/* --- the file ------------------------------------------------------------------------- */

static void
file_close (FILE *f)
{
  if (f != NULL)
    fclose (f);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FILE, file_close)

static void
tensor_free (gpointer p)
{
  TgSafetensorsTensor *t = p;
  g_free (t->name);
  g_free (t);
}

void
tg_safetensors_free (TgSafetensors *st)
{
  if (st == NULL)
    return;
  g_clear_pointer (&st->metadata, g_hash_table_unref);
  g_clear_pointer (&st->by_name, g_hash_table_unref);
  g_clear_pointer (&st->tensors, g_ptr_array_unref);
  g_free (st->data);
  g_free (st);
}

/* Opens path for reading only if it is a regular file. O_NONBLOCK makes opening a FIFO
 * return at once (it changes nothing for a regular file), and fstat on the opened
 * descriptor leaves no window in which the name could change. */
static FILE *
open_regular (const char *path, guint64 *size, GError **error)
{
  int fd = g_open (path, O_RDONLY | O_NONBLOCK | O_CLOEXEC, 0);
  if (fd < 0)
    {
      int e = errno;
      g_set_error (error, TG_ERROR, TG_ERROR_IO, "%s: %s", path, g_strerror (e));
      return NULL;
    }
  struct stat st;
  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      g_set_error (error, TG_ERROR, TG_ERROR_IO,
                   "%s: not a regular file (a folder, pipe or device?)", path);
      close (fd);
      return NULL;
    }
  FILE *f = fdopen (fd, "rb");
  if (f == NULL)
    {
      int e = errno;
      g_set_error (error, TG_ERROR, TG_ERROR_IO, "%s: %s", path, g_strerror (e));
      close (fd);
      return NULL;
    }
  *size = (guint64) st.st_size;
  return f;
}

/* The 8-byte length and the header bytes, NUL-terminated, within max_header. */
static char *
read_header (FILE *f, const char *path, guint64 size, guint64 max_header, gsize *len_out,
             GError **error)
{
  guint8 lenbuf[8];
  if (size < 8 || fread (lenbuf, 1, 8, f) != 8)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_FORMAT,
                   "%s: %" G_GUINT64_FORMAT " byte(s) are too short for a safetensors file",
                   path, size);
      return NULL;
    }
  guint64 len;
  memcpy (&len, lenbuf, 8);
  len = GUINT64_FROM_LE (len);
  if (len > size - 8)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_FORMAT,
                   "%s: header length %" G_GUINT64_FORMAT " exceeds the %" G_GUINT64_FORMAT
                   " bytes that follow it (truncated file?)", path, len, size - 8);
      return NULL;
    }
  if (len > max_header)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_FORMAT,
                   "%s: header length %" G_GUINT64_FORMAT " exceeds the limit of %"
                   G_GUINT64_FORMAT " bytes for a checkpoint", path, len, max_header);
      return NULL;
    }
  if (len < 2)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_FORMAT,
                   "%s: header of %" G_GUINT64_FORMAT " bytes cannot hold a JSON object",
                   path, len);
      return NULL;
    }
  g_autofree char *header = g_malloc (len + 1);
  if (fread (header, 1, len, f) != len)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_IO, "%s: could not read the header", path);
      return NULL;
    }
  header[len] = '\0';
  *len_out = (gsize) len;
  return g_steal_pointer (&header);
}

static gboolean
parse_metadata (const char *path, JsonNode *node, GHashTable *out, GError **error)
{
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, TG_ERROR, TG_ERROR_FORMAT, "%s: __metadata__ is not an object", path);
      return FALSE;
    }
  JsonObject *mo = json_node_get_object (node);
  g_autoptr(GList) keys = json_object_get_members (mo);
  for (GList *k = keys; k != NULL; k = k->next)
    {
      JsonNode *v = json_object_get_member (mo, k->data);
      if (!JSON_NODE_HOLDS_VALUE (v) || json_node_get_value_type (v) != G_TYPE_STRING)
        {
          g_autofree char *shown = tg_excerpt (k->data, -1);
          g_set_error (error, TG_ERROR, TG_ERROR_FORMAT,
                       "%s: metadata %s is not a string", path, shown);
          return FALSE;
        }
      g_hash_table_insert (out, g_strdup (k->data), g_strdup (json_node_get_string (v)));
    }
  return TRUE;
}

/* --- one tensor entry ------------------------------------------------------------------ */

static gboolean
json_get_uint (JsonNode *node, guint64 *out)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  gint64 v = json_node_get_int (node);
  if (v < 0)
    return FALSE;
  *out = (guint64) v;
  return TRUE;
}

static gboolean
parse_dtype (const char *path, const char *name, JsonObject *o, GError **error)
{
  JsonNode *dt = json_object_get_member (o, "dtype");
  if (dt == NULL || !JSON_NODE_HOLDS_VALUE (dt) || json_node_get_value_type (dt) != G_TYPE_STRING)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_FORMAT, "%s: tensor %s has no dtype", path, name);
      return FALSE;
    }
  if (g_strcmp0 (json_node_get_string (dt), "F32") != 0)
    {
      g_autofree char *shown = tg_excerpt (json_node_get_string (dt), -1);
      g_set_error (error, TG_ERROR, TG_ERROR_FORMAT,
                   "%s: tensor %s has dtype %s, only F32 is supported", path, name, shown);
      return FALSE;
    }
  return TRUE;
}

/* Reads the shape into t and its size in bytes of F32 into bytes, refusing overflow. */
static gboolean
parse_shape (const char *path, const char *name, JsonObject *o, TgSafetensorsTensor *t,
             size_t *bytes, GError **error)
{
  JsonNode *sh = json_object_get_member (o, "shape");
  if (sh == NULL || !JSON_NODE_HOLDS_ARRAY (sh))
    {
      g_set_error (error, TG_ERROR, TG_ERROR_FORMAT, "%s: tensor %s has no shape", path, name);
      return FALSE;
    }
  JsonArray *sa = json_node_get_array (sh);
  guint ndim = json_array_get_length (sa);
  if (ndim > TG_SAFETENSORS_MAX_DIMS)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_FORMAT,
                   "%s: tensor %s has %u dimensions, at most %d are supported",
                   path, name, ndim, TG_SAFETENSORS_MAX_DIMS);
      return FALSE;
    }
  size_t count = 1;
  gboolean overflow = FALSE;
  for (guint d = 0; d < ndim; d++)
    {
      if (!json_get_uint (json_array_get_element (sa, d), &t->shape[d]))
        {
          g_set_error (error, TG_ERROR, TG_ERROR_FORMAT,
                       "%s: tensor %s has a shape entry that is not a non-negative integer",
                       path, name);
          return FALSE;
        }
      if (t->shape[d] > SIZE_MAX || !tg_size_mul (count, (size_t) t->shape[d], &count))
        overflow = TRUE;
    }
  t->ndim = ndim;
  if (overflow || !tg_size_mul (count, 4, bytes))
    {
      g_set_error (error, TG_ERROR, TG_ERROR_FORMAT,
                   "%s: tensor %s has a shape whose size overflows", path, name);
      return FALSE;
    }
  return TRUE;
}

static gboolean
parse_offsets (const char *path, const char *name, JsonObject *o, TgSafetensorsTensor *t,
               size_t bytes, GError **error)
{
  JsonNode *of = json_object_get_member (o, "data_offsets");
  JsonArray *oa = (of != NULL && JSON_NODE_HOLDS_ARRAY (of)) ? json_node_get_array (of) : NULL;
  if (oa == NULL || json_array_get_length (oa) != 2
      || !json_get_uint (json_array_get_element (oa, 0), &t->begin)
      || !json_get_uint (json_array_get_element (oa, 1), &t->end))
    {
      g_set_error (error, TG_ERROR, TG_ERROR_FORMAT,
                   "%s: tensor %s needs data_offsets [begin, end] of non-negative integers",
                   path, name);
      return FALSE;
    }
  if (t->begin > t->end)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_FORMAT,
                   "%s: tensor %s has data_offsets [%" G_GUINT64_FORMAT ", %" G_GUINT64_FORMAT
                   "] that end before they begin", path, name, t->begin, t->end);
      return FALSE;
    }
  if (t->end - t->begin != (guint64) bytes)
    {
      g_autofree char *s = tg_safetensors_shape_string (t->ndim, t->shape);
      g_set_error (error, TG_ERROR, TG_ERROR_FORMAT,
                   "%s: tensor %s has shape %s (%zu bytes of F32) but data_offsets span %"
                   G_GUINT64_FORMAT " bytes", path, name, s, bytes, t->end - t->begin);
      return FALSE;
    }
  return TRUE;
}

static gboolean
parse_tensor (const char *path, const char *name, JsonNode *node, TgSafetensorsTensor *t,
              GError **error)
{
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, TG_ERROR, TG_ERROR_FORMAT,
                   "%s: header entry %s is not an object", path, name);
      return FALSE;
    }
  JsonObject *o = json_node_get_object (node);
  size_t bytes = 0;
  return parse_dtype (path, name, o, error)
         && parse_shape (path, name, o, t, &bytes, error)
         && parse_offsets (path, name, o, t, bytes, error);
}

/* --- the whole header and the data ------------------------------------------------------ */

/* Fills st's metadata and tensors from the root object. */
static gboolean
parse_entries (const char *path, JsonObject *ro, guint max_tensors, TgSafetensors *st,
               GError **error)
{
  guint n_entries = json_object_get_size (ro);
  guint n_tensors = n_entries - (json_object_has_member (ro, "__metadata__") ? 1 : 0);
  if (n_tensors > max_tensors)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_FORMAT,
                   "%s: the header names %u tensors, more than the %u a checkpoint can hold",
                   path, n_tensors, max_tensors);
      return FALSE;
    }
  g_autoptr(GList) members = json_object_get_members (ro);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      JsonNode *node = json_object_get_member (ro, name);
      if (strcmp (name, "__metadata__") == 0)
        {
          if (!parse_metadata (path, node, st->metadata, error))
            return FALSE;
          continue;
        }
      /* messages quote the name as an excerpt: it is the file's text */
      g_autofree char *shown = tg_excerpt (name, -1);
      if (strlen (name) > TG_SAFETENSORS_MAX_NAME)
        {
          g_set_error (error, TG_ERROR, TG_ERROR_FORMAT, "%s: tensor name “%s” is longer than "
                       "%d bytes", path, shown, TG_SAFETENSORS_MAX_NAME);
          return FALSE;
        }
      TgSafetensorsTensor *t = g_new0 (TgSafetensorsTensor, 1);
      t->name = g_strdup (name);
      g_ptr_array_add (st->tensors, t);
      if (!parse_tensor (path, shown, node, t, error))
        return FALSE;
      if (t->end > st->data_size)
        {
          g_set_error (error, TG_ERROR, TG_ERROR_FORMAT,
                       "%s: tensor %s ends at byte %" G_GUINT64_FORMAT " of the data, which has "
                       "only %" G_GUINT64_FORMAT " (truncated file?)",
                       path, shown, t->end, st->data_size);
          return FALSE;
        }
      g_hash_table_insert (st->by_name, t->name, t);
    }
  return TRUE;
}

static int
tensor_cmp (gconstpointer a, gconstpointer b)
{
  const TgSafetensorsTensor *x = *(TgSafetensorsTensor *const *) a;
  const TgSafetensorsTensor *y = *(TgSafetensorsTensor *const *) b;
  if (x->begin != y->begin)
    return x->begin < y->begin ? -1 : 1;
  return x->end < y->end ? -1 : x->end > y->end;
}

/* The byte ranges, sorted, must tile the data exactly: from 0, no gap, no overlap, and
 * nothing after the last. */
static gboolean
check_layout (const char *path, const TgSafetensors *st, GError **error)
{
  g_autoptr(GPtrArray) sorted = g_ptr_array_copy (st->tensors, NULL, NULL);
  g_ptr_array_set_free_func (sorted, NULL); /* the copy borrows; st->tensors owns */
  g_ptr_array_sort (sorted, tensor_cmp);
  guint64 expect = 0;
  const TgSafetensorsTensor *prev = NULL;
  for (guint i = 0; i < sorted->len; i++)
    {
      const TgSafetensorsTensor *t = g_ptr_array_index (sorted, i);
      if (t->begin < expect)
        {
          g_autofree char *a = tg_excerpt (prev->name, -1), *b = tg_excerpt (t->name, -1);
          g_set_error (error, TG_ERROR, TG_ERROR_FORMAT,
                       "%s: tensors %s and %s overlap in the data", path, a, b);
          return FALSE;
        }
      if (t->begin > expect)
        {
          g_set_error (error, TG_ERROR, TG_ERROR_FORMAT,
                       "%s: a gap of %" G_GUINT64_FORMAT " bytes in the data before tensor %s",
                       path, t->begin - expect, t->name);
          return FALSE;
        }
      expect = t->end;
      prev = t;
    }
  if (expect != st->data_size)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_FORMAT,
                   "%s: %" G_GUINT64_FORMAT " trailing bytes after the last tensor's data",
                   path, st->data_size - expect);
      return FALSE;
    }
  return TRUE;
}

/* NaN and infinities are refused: a checkpoint holding one would poison every forward. */
static gboolean
check_finite (const char *path, const TgSafetensors *st, GError **error)
{
  for (guint i = 0; i < st->tensors->len; i++)
    {
      const TgSafetensorsTensor *t = g_ptr_array_index (st->tensors, i);
      const guint8 *p = st->data + t->begin;
      for (guint64 k = 0; k < (t->end - t->begin) / 4; k++)
        {
          guint32 bits;
          memcpy (&bits, p + 4 * k, 4);
          bits = GUINT32_FROM_LE (bits);
          if ((bits & 0x7f800000u) == 0x7f800000u)
            {
              g_autofree char *shown = tg_excerpt (t->name, -1);
              g_set_error (error, TG_ERROR, TG_ERROR_FORMAT,
                           "%s: tensor %s holds a value that is not finite", path, shown);
              return FALSE;
            }
        }
    }
  return TRUE;
}

static gboolean
read_data (FILE *f, const char *path, TgSafetensors *st, GError **error)
{
  st->data = g_try_malloc (MAX (st->data_size, 1));
  if (st->data == NULL)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_IO,
                   "%s: out of memory for %" G_GUINT64_FORMAT " bytes", path, st->data_size);
      return FALSE;
    }
  if (st->data_size > 0 && fread (st->data, 1, st->data_size, f) != st->data_size)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_IO, "%s: could not read the tensor data", path);
      return FALSE;
    }
  return TRUE;
}

TgSafetensors *
tg_safetensors_read (const char *path, guint max_tensors, GError **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  guint64 size = 0, max_header = (guint64) max_tensors * TG_SAFETENSORS_ENTRY_BYTES
                                 + TG_SAFETENSORS_META_BYTES;
  g_autoptr(FILE) f = open_regular (path, &size, error);
  if (f == NULL)
    return NULL;
  gsize header_len = 0;
  g_autofree char *header = read_header (f, path, size, max_header, &header_len, error);
  if (header == NULL)
    return NULL;
  g_autoptr(JsonParser) parser = tg_safetensors_parse_header (path, header, header_len, error);
  if (parser == NULL)
    return NULL;

  g_autoptr(TgSafetensors) st = g_new0 (TgSafetensors, 1);
  st->metadata = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  st->tensors = g_ptr_array_new_with_free_func (tensor_free);
  st->by_name = g_hash_table_new (g_str_hash, g_str_equal);
  st->data_size = size - 8 - header_len;

  JsonObject *ro = json_node_get_object (json_parser_get_root (parser));
  if (!parse_entries (path, ro, max_tensors, st, error)
      || !check_layout (path, st, error)
      || !read_data (f, path, st, error)
      || !check_finite (path, st, error))
    return NULL;
  return g_steal_pointer (&st);
}

const TgSafetensorsTensor *
tg_safetensors_lookup (const TgSafetensors *st, const char *name)
{
  return g_hash_table_lookup (st->by_name, name);
}

void
tg_safetensors_copy_f32 (const TgSafetensors *st, const TgSafetensorsTensor *t, float *dst)
{
  const guint8 *p = st->data + t->begin;
  for (guint64 i = 0; i < (t->end - t->begin) / 4; i++)
    {
      guint32 bits;
      memcpy (&bits, p + 4 * i, 4);
      bits = GUINT32_FROM_LE (bits);
      memcpy (&dst[i], &bits, 4);
    }
}

char *
tg_safetensors_shape_string (guint ndim, const guint64 *shape)
{
  GString *s = g_string_new ("[");
  for (guint d = 0; d < ndim; d++)
    g_string_append_printf (s, d ? ", %" G_GUINT64_FORMAT : "%" G_GUINT64_FORMAT, shape[d]);
  g_string_append_c (s, ']');
  return g_string_free (s, FALSE);
}

GHashTable *
tg_safetensors_dup_metadata (const TgSafetensors *st)
{
  GHashTable *out = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  GHashTableIter it;
  gpointer k, v;
  g_hash_table_iter_init (&it, st->metadata);
  while (g_hash_table_iter_next (&it, &k, &v))
    g_hash_table_insert (out, g_strdup (k), g_strdup (v));
  return out;
}
