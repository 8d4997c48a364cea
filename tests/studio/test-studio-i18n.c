/* test-studio-i18n.c — the window in German (LANGUAGE=de under LC_ALL=de_DE.UTF-8).
 *
 * meson runs this with LANGUAGE=de, LC_ALL=de_DE.UTF-8 and TAUGATE_LOCALEDIR=build/po, where
 * the catalogues are compiled; like main.c, the program binds the domain itself
 * (tg_i18n_init). It fails, rather than skips, without the locale (./run.sh generates it).
 * Checked: the views' titles, the main menu, template labels, a tooltip, the status line
 * and the shortcuts window are German; no label, tooltip or view title shows an English text the catalogue translates
 * (one left unmarked in C or .ui shows up here); and the longer German texts still fit the
 * window's default size of 1280 x 720. */
#include "studio-test-util.h"
#include "tg-i18n.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

#include "config.h"

typedef struct {
  GPtrArray *texts;      /* every label, tooltip and title shown */
  GPtrArray *english;    /* the ones the catalogue would translate */
} Texts;

static void
add_text (Texts *t, const char *text)
{
  if (text == NULL || *text == '\0')
    return;
  g_ptr_array_add (t->texts, g_strdup (text));
  /* a msgid of ours shown as it is: its translation differs from it */
  if (strcmp (g_dgettext (GETTEXT_PACKAGE, text), text) != 0)
    g_ptr_array_add (t->english, g_strdup (text));
}

static void
collect (GtkWidget *w, Texts *t)
{
  if (GTK_IS_LABEL (w))
    add_text (t, gtk_label_get_text (GTK_LABEL (w)));
  if (GTK_IS_INSCRIPTION (w))
    add_text (t, gtk_inscription_get_text (GTK_INSCRIPTION (w)));
  if (GTK_IS_BUTTON (w))
    add_text (t, gtk_button_get_label (GTK_BUTTON (w)));
  add_text (t, gtk_widget_get_tooltip_text (w));
  for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL; c = gtk_widget_get_next_sibling (c))
    collect (c, t);
}

static gboolean
has_text (GPtrArray *texts, const char *text)
{
  for (guint i = 0; i < texts->len; i++)
    if (strcmp (g_ptr_array_index (texts, i), text) == 0)
      return TRUE;
  return FALSE;
}

/* The labels of a menu model and of its sections and submenus. */
static void
collect_menu (GMenuModel *model, Texts *t)
{
  for (int i = 0; i < g_menu_model_get_n_items (model); i++)
    {
      g_autofree char *label = NULL;
      if (g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_LABEL, "s", &label))
        add_text (t, label);
      g_autoptr (GMenuLinkIter) links = g_menu_model_iterate_item_links (model, i);
      GMenuModel *link = NULL;
      while (g_menu_link_iter_get_next (links, NULL, &link))
        {
          collect_menu (link, t);
          g_object_unref (link);
        }
    }
}

static GtkMenuButton *
find_menu_button (GtkWidget *w)
{
  if (GTK_IS_MENU_BUTTON (w) && gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (w)) != NULL)
    return GTK_MENU_BUTTON (w);
  for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkMenuButton *b = find_menu_button (c);
      if (b != NULL)
        return b;
    }
  return NULL;
}

static void
report_english (const Texts *t)
{
  for (guint i = 0; i < t->english->len; i++)
    g_test_message ("shown in English: “%s” (German: “%s”)", (char *) t->english->pdata[i],
                    g_dgettext (GETTEXT_PACKAGE, t->english->pdata[i]));
}

static void
test_window_german (void)
{
  g_assert_true (g_str_has_prefix (setlocale (LC_MESSAGES, NULL), "de_DE"));
  StudioConfig cfg;
  small_config (&cfg);
  StudioWindow *win = new_window (&cfg);
  Texts t = { g_ptr_array_new_with_free_func (g_free), g_ptr_array_new_with_free_func (g_free) };

  /* the switcher's titles: the stack's pages */
  g_autoptr (GtkSelectionModel) pages = gtk_stack_get_pages (win->stack);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (pages)); i++)
    {
      g_autoptr (GObject) page = g_list_model_get_item (G_LIST_MODEL (pages), i);
      add_text (&t, gtk_stack_page_get_title (GTK_STACK_PAGE (page)));
    }
  GtkMenuButton *menu = find_menu_button (GTK_WIDGET (win));
  g_assert_nonnull (menu);
  collect_menu (gtk_menu_button_get_menu_model (menu), &t);
  add_text (&t, gtk_window_get_title (GTK_WINDOW (win)));
  collect (GTK_WIDGET (win), &t);

  report_english (&t);
  const char *german[] = { "Kurven", "Überlappung", "Ziffernfeld", "Sitzung öffnen…",
                           "Alles exportieren…", "Tastenkürzel", "Live-Einstellungen",
                           "Nächster Lauf", "Epochen Basismodell", "Modi",
                           "Bereit. Trainieren (oder Leertaste) drücken, um zu beginnen.",
                           "Den Lauf nach dem aktuellen Batch pausieren (Leertaste)",
                           "Glättung (EMA)", "Reihenfolge" };
  for (guint i = 0; i < G_N_ELEMENTS (german); i++)
    {
      if (!has_text (t.texts, german[i]))
        g_test_message ("no “%s” in the window", german[i]);
      g_assert_true (has_text (t.texts, german[i]));
    }
  g_assert_cmpuint (t.english->len, ==, 0);
  g_assert_cmpuint (t.texts->len, >=, 100);

  /* the German window still fits the default size of studio-window.ui, 1280 x 720: nothing
   * is cut off or pushes the window wider or taller */
  int min_w = 0, min_h = 0;
  gtk_widget_measure (GTK_WIDGET (win), GTK_ORIENTATION_HORIZONTAL, -1, &min_w, NULL, NULL, NULL);
  gtk_widget_measure (GTK_WIDGET (win), GTK_ORIENTATION_VERTICAL, 1280, &min_h, NULL, NULL, NULL);
  g_test_message ("the window needs at least %d x %d", min_w, min_h);
  g_assert_cmpint (min_w, <=, 1280);
  g_assert_cmpint (min_h, <=, 720);

  g_ptr_array_unref (t.texts);
  g_ptr_array_unref (t.english);
  destroy_window (win);
}

/* The shortcuts window (GtkApplication builds it from this resource for every window): its
 * sections, groups and shortcuts are German too. */
static void
test_shortcuts_german (void)
{
  g_autoptr (GtkBuilder) builder =
    gtk_builder_new_from_resource ("/org/taugate/Studio/gtk/help-overlay.ui");
  Texts t = { g_ptr_array_new_with_free_func (g_free), g_ptr_array_new_with_free_func (g_free) };
  GSList *objects = gtk_builder_get_objects (builder);
  for (GSList *o = objects; o != NULL; o = o->next)
    if (g_object_class_find_property (G_OBJECT_GET_CLASS (o->data), "title") != NULL)
      {
        g_autofree char *title = NULL;
        g_object_get (o->data, "title", &title, NULL);
        add_text (&t, title);
      }
  g_slist_free (objects);
  report_english (&t);
  g_assert_true (has_text (t.texts, "Trainieren oder den Lauf pausieren und fortsetzen"));
  g_assert_true (has_text (t.texts, "Sitzungen"));
  g_assert_cmpuint (t.english->len, ==, 0);
  g_assert_cmpuint (t.texts->len, >=, 10);
  g_ptr_array_unref (t.texts);
  g_ptr_array_unref (t.english);
}

int
main (int argc, char **argv)
{
  tg_i18n_init ();
  int status = studio_test_init (&argc, &argv);
  if (status != 0)
    return status;
  g_test_add_func ("/studio-i18n/window-german", test_window_german);
  g_test_add_func ("/studio-i18n/shortcuts-german", test_shortcuts_german);
  return g_test_run ();
}
