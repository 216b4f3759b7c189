/* ms-markdown.h: Markdown in the article panel, both halves
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * ms-markdown-doc.h is the document and its parser (md4c, GLib only, no display needed);
 * ms-markdown-render.h renders a document into a GtkTextBuffer. Code that needs GTK anyway
 * may include this header for both; code that must stay free of GTK includes
 * ms-markdown-doc.h alone.
 */
#pragma once

#include "ms-markdown-doc.h"
#include "ms-markdown-render.h"
