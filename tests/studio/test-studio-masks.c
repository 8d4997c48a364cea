/* test-studio-masks.c — Masks you can read, on a short real run (TG_MNIST_DIR): hovering a
 * cell reads its unit, digit and both modes' rates as the history has them; every column
 * order is the engine's permutation, in Masks, in Neurons and in their CSV; a click in Masks
 * and in Overlap selects the unit for the inspector and every view outlines it; a
 * shift-click in Masks, Neurons and Overlap toggles the unit in the ablation set, which
 * every view marks, and Clear Set empties it. */
#include <math.h>
#include <string.h>

#include "studio-test-util.h"
#include "cli-test-util.h"
#include "pdf-layout.h"
#include "studio-inspector-view.h"
#include "studio-masks-view.h"
#include "studio-neurons-view.h"
#include "studio-overlap-view.h"
#include "studio-workspace.h"
#include "tg-unit-order.h"

static StudioWindow *shared_win;

/* One short run shared by the tests (studio-test-util.h). */
static StudioWindow *
trained_window (void)
{
  if (shared_win == NULL)
    shared_win = unit_window_new ();
  return shared_win;
}

static StudioMasksView *
show_masks (StudioWindow *win)
{
  studio_window_show_view (win, "masks");
  spin (300);
  return STUDIO_MASKS_VIEW (studio_window_get_view (win, "masks"));
}

/* The rate of (layer, unit) for digit klass in the history's latest masks, hard gates. */
static float
rate_of (StudioSnapshot *snap, gboolean target, guint layer, guint unit, guint klass)
{
  guint32 off = 0;
  for (guint l = 0; l < layer; l++)
    off += snap->widths[l];
  const float *r = target ? snap->firing_rot_hard : snap->firing0_hard;
  return r[(gsize) klass * snap->hidden_units + off + unit];
}

/* Hovering a cell names its unit and digit and gives both rates of the history, in unit
 * order and sorted. */
static void
test_hover (void)
{
  StudioWindow *win = trained_window ();
  StudioMasksView *masks = show_masks (win);
  StudioSnapshot *snap = studio_history_get_masks (win->history);
  guint cases[8][4] = {  /* layer, input, digit, unit */
    { 0, 0, 3, 5 }, { 0, 1, 7, 100 }, { 1, 0, 0, 127 }, { 1, 1, 9, 64 },
  };
  /* and the most selective unit of each layer, at a digit of its rates far from 0 and 1 */
  guint32 off = 0;
  for (guint l = 0; l < 2; l++)
    {
      g_autofree guint *perm = g_new (guint, snap->widths[l]);
      tg_unit_order_permutation (TG_UNIT_ORDER_SELECTIVITY, snap->firing0_hard + off,
                                 snap->firing_rot_hard + off, snap->n_classes, snap->widths[l],
                                 snap->hidden_units, perm);
      for (guint input = 0; input < 2; input++)
        {
          guint best = 0;
          for (guint c = 0; c < snap->n_classes; c++)
            if (fabs (rate_of (snap, input, l, perm[0], c) - 0.5) <
                fabs (rate_of (snap, input, l, perm[0], best) - 0.5))
              best = c;
          guint *row = cases[4 + 2 * l + input];
          row[0] = l;
          row[1] = input;
          row[2] = best;
          row[3] = perm[0];
        }
      off += snap->widths[l];
    }
  for (guint order = TG_UNIT_ORDER_INDEX; order <= TG_UNIT_ORDER_SELECTIVITY; order++)
    {
      studio_view_choose_unit_order (STUDIO_VIEW (masks), order);
      spin (100);
      for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
        {
          guint layer = cases[i][0], input = cases[i][1], klass = cases[i][2], unit = cases[i][3];
          double x, y;
          g_assert_true (studio_masks_view_locate (masks, layer, input, klass, unit, &x, &y));
          const char *text = studio_masks_view_hover (masks, x, y);
          g_autofree char *who = g_strdup_printf ("hidden %u, unit %u", layer + 1, unit);
          g_autofree char *digit = g_strdup_printf ("digit %u ·", klass);
          g_autofree char *rates =
            g_strdup_printf ("hard rate %.3f on 0°, %.3f on %g°",
                             rate_of (snap, FALSE, layer, unit, klass),
                             rate_of (snap, TRUE, layer, unit, klass), snap->angle);
          g_test_message ("%s", text);
          g_assert_nonnull (strstr (text, who));
          g_assert_nonnull (strstr (text, digit));
          g_assert_nonnull (strstr (text, rates));
        }
    }
  studio_masks_view_hover (masks, -1, -1);
  studio_view_choose_unit_order (STUDIO_VIEW (masks), TG_UNIT_ORDER_INDEX);
}

/* The units of the first panel of a Neurons or Masks CSV, in row order, up to n: unit_field
 * counts the fields after the first (quoted text), the fields before it make the panel. */
static guint
csv_units (const char *csv, guint unit_field, guint *units, guint n)
{
  g_auto (GStrv) lines = g_strsplit (csv, "\n", -1);
  g_autofree char *first_key = NULL;
  guint k = 0;
  for (guint i = 1; lines[i] != NULL && lines[i][0] != '\0' && k < n; i++)
    {
      const char *rest = lines[i];
      if (rest[0] == '"')
        rest = strchr (rest + 1, '"');
      g_assert_nonnull (rest);
      rest = strchr (rest, ',');
      g_assert_nonnull (rest);
      g_autofree char *panel = g_strndup (lines[i], rest - lines[i]);
      g_auto (GStrv) f = g_strsplit (rest + 1, ",", -1);
      g_assert_cmpuint (g_strv_length (f), >=, unit_field);
      GString *key = g_string_new (panel);
      for (guint j = 0; j + 1 < unit_field; j++)
        g_string_append_printf (key, ",%s", f[j]);
      g_autofree char *key_str = g_string_free (key, FALSE);
      if (first_key == NULL)
        first_key = g_strdup (key_str);
      if (strcmp (key_str, first_key) != 0)
        break;
      units[k++] = (guint) g_ascii_strtoull (f[unit_field - 1], NULL, 10);
    }
  return k;
}

/* Every order is the engine's permutation of the history's hard rates, in Masks (columns
 * and CSV) and in Neurons (which follows the same choice) and its CSV. */
static void
test_orders (void)
{
  StudioWindow *win = trained_window ();
  StudioMasksView *masks = show_masks (win);
  StudioView *neurons = STUDIO_VIEW (studio_window_get_view (win, "neurons"));
  StudioSnapshot *snap = studio_history_get_masks (win->history);
  for (guint order = 0; order < TG_UNIT_ORDER_N; order++)
    {
      studio_view_choose_unit_order (STUDIO_VIEW (masks), order);
      g_assert_cmpint (studio_view_get_unit_order (neurons), ==, order);
      guint32 off = 0;
      for (guint l = 0; l < snap->n_hidden; l++)
        {
          guint n = snap->widths[l];
          g_autofree guint *want = g_new (guint, n);
          tg_unit_order_permutation (order, snap->firing0_hard + off, snap->firing_rot_hard + off,
                                     snap->n_classes, n, snap->hidden_units, want);
          for (guint c = 0; c < n; c++)
            g_assert_cmpuint (studio_masks_view_get_column_unit (masks, l, c), ==, want[c]);
          if (l == 0)
            {
              /* masks CSV: layer,input,class,unit,rate; neurons: panel,unit,value,center */
              g_autofree guint *got = g_new (guint, n);
              g_autofree char *mcsv = studio_view_dup_csv (STUDIO_VIEW (masks));
              g_assert_cmpuint (csv_units (mcsv, 3, got, n), ==, n);
              for (guint c = 0; c < n; c++)
                g_assert_cmpuint (got[c], ==, want[c]);
              g_autofree char *ncsv = studio_view_dup_csv (neurons);
              g_assert_cmpuint (csv_units (ncsv, 1, got, n), ==, n);
              for (guint c = 0; c < n; c++)
                g_assert_cmpuint (got[c], ==, want[c]);
            }
          off += n;
        }
      /* a sorted order really moves units on a trained model */
      if (order != TG_UNIT_ORDER_INDEX)
        {
          gboolean moved = FALSE;
          for (guint c = 0; c < snap->widths[0]; c++)
            moved |= studio_masks_view_get_column_unit (masks, 0, c) != c;
          g_assert_true (moved);
        }
    }
  /* the choice made in Neurons is Masks' too */
  studio_view_choose_unit_order (neurons, TG_UNIT_ORDER_MEAN_RATE);
  g_assert_cmpint (studio_view_get_unit_order (STUDIO_VIEW (masks)), ==, TG_UNIT_ORDER_MEAN_RATE);
  studio_view_choose_unit_order (neurons, TG_UNIT_ORDER_INDEX);
}

static gboolean
inspector_ready (StudioWindow *win, gpointer data)
{
  StudioInspectorView *insp = data;
  return !studio_inspector_view_is_busy (insp) && studio_inspector_view_get_figure (insp) != NULL;
}

/* The inspector shows (layer, unit), and every view that shows units outlines it. */
static void
check_selected (StudioWindow *win, guint layer, guint unit)
{
  StudioInspectorView *insp = STUDIO_INSPECTOR_VIEW (studio_window_get_view (win, "inspector"));
  guint l, u;
  g_assert_cmpstr (gtk_stack_get_visible_child_name (win->stack), ==, "inspector");
  studio_inspector_view_get_unit (insp, &l, &u);
  g_assert_cmpuint (l, ==, layer);
  g_assert_cmpuint (u, ==, unit);
  wait_for (win, inspector_ready, insp, "the inspector's figure");
  const TgUnitFigure *fig = studio_inspector_view_get_figure (insp);
  g_assert_cmpuint (fig->report->unit.layer, ==, layer);
  g_assert_cmpuint (fig->report->unit.index, ==, unit);
  const char *views[] = { "neurons", "masks", "overlap" };
  for (guint i = 0; i < G_N_ELEMENTS (views); i++)
    {
      g_assert_true (studio_view_get_selected_unit (STUDIO_VIEW (studio_window_get_view (win, views[i])),
                                                    &l, &u));
      g_assert_cmpuint (l, ==, layer);
      g_assert_cmpuint (u, ==, unit);
    }
}

/* A click on a Masks cell, sorted, selects the unit drawn there. */
static void
test_select_from_masks (void)
{
  StudioWindow *win = trained_window ();
  StudioMasksView *masks = show_masks (win);
  studio_view_choose_unit_order (STUDIO_VIEW (masks), TG_UNIT_ORDER_SELECTIVITY);
  double x, y;
  g_assert_true (studio_masks_view_locate (masks, 1, 1, 4, 42, &x, &y));
  g_assert_true (studio_masks_view_click (masks, x, y, FALSE));
  check_selected (win, 1, 42);
  studio_view_choose_unit_order (STUDIO_VIEW (masks), TG_UNIT_ORDER_INDEX);
}

static StudioOverlapView *
overlap_trained (StudioWindow *win)
{
  if (studio_history_get_overlap (win->history) == NULL)
    {
      studio_window_queue_job (win, STUDIO_JOB_OVERLAP);
      wait_for (win, overlap_done, NULL, "the overlap models");
    }
  studio_window_show_view (win, "overlap");
  spin (300);
  return STUDIO_OVERLAP_VIEW (studio_window_get_view (win, "overlap"));
}

/* The first point of a scan over the Overlap figure (bottom up) where a click lands on a
 * unit; its unit as the view then selects it. */
static gboolean
click_overlap (StudioWindow *win, StudioOverlapView *overlap, gboolean shift, int from_bottom,
               guint *layer, guint *unit)
{
  int w = gtk_widget_get_width (GTK_WIDGET (overlap));
  int h = gtk_widget_get_height (GTK_WIDGET (overlap));
  for (int y = h - from_bottom; y > 0; y -= 5)
    for (int x = w / 2; x < w; x += 5)
      if (studio_overlap_view_click (overlap, x, y, shift))
        {
          if (shift)
            return TRUE;
          return studio_view_get_selected_unit (STUDIO_VIEW (overlap), layer, unit);
        }
  return FALSE;
}

/* A click on an Overlap cell selects its unit for the inspector and every view. */
static void
test_select_from_overlap (void)
{
  StudioWindow *win = trained_window ();
  StudioOverlapView *overlap = overlap_trained (win);
  guint layer, unit;
  g_assert_true (click_overlap (win, overlap, FALSE, 60, &layer, &unit));
  /* bottom up: a cell of the last layer's strip */
  g_assert_cmpuint (layer, ==, 1);
  check_selected (win, layer, unit);
}

/* A unit chosen with the inspector's own spin buttons is outlined in every view too. */
static void
test_select_from_inspector (void)
{
  StudioWindow *win = trained_window ();
  studio_window_show_view (win, "inspector");
  GtkWidget *insp = studio_window_get_view (win, "inspector");
  /* the spin buttons' adjustments: what typing or clicking their arrows changes */
  GtkAdjustment *layer_adj = GTK_ADJUSTMENT (gtk_widget_get_template_child (
    insp, STUDIO_TYPE_INSPECTOR_VIEW, "layer_adj"));
  GtkAdjustment *unit_adj = GTK_ADJUSTMENT (gtk_widget_get_template_child (
    insp, STUDIO_TYPE_INSPECTOR_VIEW, "unit_adj"));
  gtk_adjustment_set_value (layer_adj, 2);
  gtk_adjustment_set_value (unit_adj, 41);
  check_selected (win, 1, 41);
  gtk_adjustment_set_value (unit_adj, 5);
  check_selected (win, 1, 5);
}

/* An export may leave a layer out (the export dialog's Include list): the CSV then has
 * none of its rows, and the view on screen keeps it. */
static void
test_export_leaves_layer_out (void)
{
  StudioWindow *win = trained_window ();
  StudioView *masks = STUDIO_VIEW (show_masks (win));
  g_auto (GStrv) layers = studio_view_list_series (masks);
  g_assert_cmpuint (g_strv_length (layers), ==, 2);
  g_autofree char *prefix0 = g_strdup_printf ("\n%s,", layers[0]);
  g_autofree char *prefix1 = g_strdup_printf ("\n%s,", layers[1]);
  const char *const left_out[] = { layers[0], NULL };
  studio_view_set_export_excluded (masks, left_out);
  g_autofree char *csv = studio_view_dup_csv (masks);
  g_assert_null (strstr (csv, prefix0));
  g_assert_nonnull (strstr (csv, prefix1));
  studio_view_set_export_excluded (masks, NULL);
  g_autofree char *all = studio_view_dup_csv (masks);
  g_assert_nonnull (strstr (all, prefix0));
  g_assert_nonnull (strstr (all, prefix1));
}

static gboolean
ablation_idle (StudioWindow *win, gpointer data)
{
  return !studio_ablation_panel_is_busy (data);
}

/* Export All at the single-column size with the window as it is (an ablation set marked in
 * every view): every PDF read back, no word off the page or over another. */
static void
export_single_column (StudioWindow *win, const char *label)
{
  double w, h;
  TgPlotStyle style;
  g_autoptr (GError) error = NULL;
  g_assert_true (tg_plot_size_parse ("single", &w, &h, &error));
  tg_plot_style_init (&style, TG_PLOT_BACKGROUND_LIGHT);
  style.font_size = tg_plot_size_font_size ("single");
  g_autofree char *dir = g_dir_make_tmp ("masks-export-XXXXXX", &error);
  g_assert_no_error (error);
  double box_per_pt = pdf_calibrate (dir);
  gboolean written = studio_window_export_all_sized (win, dir, w, h, &style, &error);
  g_assert_no_error (error);
  g_assert_true (written);

  g_autofree char *figdir = g_build_filename (dir, "figures", NULL);
  g_autoptr (GDir) d = g_dir_open (figdir, 0, &error);
  g_assert_no_error (error);
  g_autoptr (GString) faults = g_string_new (NULL);
  guint n = 0;
  for (const char *name; (name = g_dir_read_name (d)) != NULL;)
    if (g_str_has_suffix (name, ".pdf"))
      {
        g_autofree char *path = g_build_filename (figdir, name, NULL);
        g_autofree char *file = g_strdup_printf ("%s/%s", label, name);
        pdf_check_layout (path, file, w, h, style.font_size, box_per_pt, faults);
        n++;
      }
  g_assert_cmpuint (n, >=, 10);
  g_assert_cmpuint (pdf_report_faults (faults->str), ==, 0);
  cli_test_remove_tree (dir);
}

/* Shift-click in Masks, Neurons and Overlap toggles units in the inspector's ablation set;
 * every view marks them; Clear Set empties it. */
static void
test_shift_click (void)
{
  StudioWindow *win = trained_window ();
  StudioInspectorView *insp = STUDIO_INSPECTOR_VIEW (studio_window_get_view (win, "inspector"));
  StudioAblationPanel *panel = studio_inspector_view_get_ablation (insp);
  StudioView *neurons_view = STUDIO_VIEW (studio_window_get_view (win, "neurons"));
  studio_ablation_panel_clear (panel);

  StudioMasksView *masks = show_masks (win);
  double x, y;
  g_assert_true (studio_masks_view_locate (masks, 0, 0, 2, 17, &x, &y));
  g_assert_true (studio_masks_view_click (masks, x, y, TRUE));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (win->stack), ==, "masks");
  guint n;
  const TgUnitEdit *edits = studio_ablation_panel_get_edits (panel, &n);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpuint (edits[0].unit.layer, ==, 0);
  g_assert_cmpuint (edits[0].unit.index, ==, 17);
  g_assert_cmpint (edits[0].action, ==, TG_UNIT_SILENCE);
  g_assert_cmpuint (studio_view_get_unit_mark (neurons_view, 0, 17), ==, TG_PLOT_MARK_SILENCED);
  g_assert_cmpuint (studio_view_get_unit_mark (STUDIO_VIEW (masks), 0, 17), ==,
                    TG_PLOT_MARK_SILENCED);

  /* the same unit shift-clicked in Neurons leaves the set */
  studio_window_show_view (win, "neurons");
  spin (300);
  StudioNeuronsView *neurons = STUDIO_NEURONS_VIEW (neurons_view);
  int w = gtk_widget_get_width (GTK_WIDGET (neurons)), h = gtk_widget_get_height (GTK_WIDGET (neurons));
  gboolean toggled = FALSE;
  for (int yy = 60; yy < h && !toggled; yy += 3)
    for (int xx = 10; xx < w / 2 && !toggled; xx += 3)
      {
        studio_view_hover (neurons_view, xx, yy);
        const char *text = studio_neurons_view_hover (neurons, xx, yy);
        if (g_str_has_prefix (text, "hidden 1, unit 17 "))
          toggled = studio_neurons_view_shift_click (neurons, xx, yy);
      }
  g_assert_true (toggled);
  g_assert_cmpuint (studio_ablation_panel_get_n_edits (panel), ==, 0);
  g_assert_cmpuint (studio_view_get_unit_mark (STUDIO_VIEW (masks), 0, 17), ==,
                    TG_PLOT_MARK_NONE);

  /* Overlap adds too, and Clear Set in a view empties the set everywhere */
  StudioOverlapView *overlap = overlap_trained (win);
  g_assert_true (click_overlap (win, overlap, TRUE, 60, NULL, NULL));
  g_assert_true (studio_masks_view_click (masks, x, y, TRUE));
  edits = studio_ablation_panel_get_edits (panel, &n);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpuint (edits[0].unit.layer, ==, 1);
  g_assert_cmpuint (studio_view_get_unit_mark (STUDIO_VIEW (overlap), edits[0].unit.layer,
                                               edits[0].unit.index), ==, TG_PLOT_MARK_SILENCED);
  wait_for (win, ablation_idle, panel, "the ablation measurements to end");
  export_single_column (win, "ablation-set");
  g_signal_emit_by_name (overlap, "units-cleared");
  g_assert_cmpuint (studio_ablation_panel_get_n_edits (panel), ==, 0);
  g_assert_cmpuint (studio_view_get_unit_mark (neurons_view, 0, 17), ==, TG_PLOT_MARK_NONE);
  /* the measurements the clicks started end before the window does */
  wait_for (win, ablation_idle, panel, "the ablation measurements to end");
}

int
main (int argc, char **argv)
{
  int skip = studio_test_init (&argc, &argv);
  if (skip != 0)
    return skip;
  g_test_add_func ("/studio-masks/hover", test_hover);
  g_test_add_func ("/studio-masks/orders", test_orders);
  g_test_add_func ("/studio-masks/select-from-masks", test_select_from_masks);
  g_test_add_func ("/studio-masks/select-from-overlap", test_select_from_overlap);
  g_test_add_func ("/studio-masks/select-from-inspector", test_select_from_inspector);
  g_test_add_func ("/studio-masks/export-leaves-layer-out", test_export_leaves_layer_out);
  g_test_add_func ("/studio-masks/shift-click", test_shift_click);
  int status = g_test_run ();
  if (shared_win != NULL)
    destroy_window (shared_win);
  return status;
}
