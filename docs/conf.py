"""Sphinx configuration of the skw2v documentation site.

Build it with ``pip install -e ".[docs]" && sphinx-build -W -b html docs docs/_build/html``.
"""

from __future__ import annotations

import os
import sys

import skw2v

project = "skw2v"
author = "skw2v developers"
copyright = "2026, skw2v developers"
release = skw2v.__version__
version = release

extensions = [
    "myst_parser",
    "numpydoc",
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.intersphinx",
    "sphinx_gallery.gen_gallery",
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build", "_tables/*", "generated/*.examples", "auto_examples/*.ipynb",
                    "auto_examples/*.py", "auto_examples/*.zip", "auto_examples/*.json",
                    "auto_examples/*.md5", "sg_execution_times.rst"]  # fmt: skip
myst_heading_anchors = 3
suppress_warnings = ["myst.xref_missing"] if os.environ.get("SKW2V_DOCS_LENIENT") else []

autosummary_generate = True
autodoc_default_options = {"inherited-members": False}


def _skip_metadata_requests(app, what, name, obj, skip, options):
    """scikit-learn adds ``set_fit_request``/``set_score_request`` to estimators whose
    ``fit`` takes ``sample_weight``; their docstrings link into scikit-learn's glossary."""
    if name.startswith("set_") and name.endswith("_request"):
        return True
    return skip


def setup(app):
    app.connect("autodoc-skip-member", _skip_metadata_requests)


numpydoc_show_class_members = False
numpydoc_class_members_toctree = False

intersphinx_mapping = {
    "python": ("https://docs.python.org/3", None),
    "numpy": ("https://numpy.org/doc/stable", None),
    "sklearn": ("https://scikit-learn.org/stable", None),
    "joblib": ("https://joblib.readthedocs.io/en/stable", None),
}
# Offline builds (CI) must not fail on an unreachable inventory.
if os.environ.get("SKW2V_DOCS_OFFLINE", "1") == "1":
    intersphinx_mapping = {}

sphinx_gallery_conf = {
    "examples_dirs": "../examples",
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"/plot_",
    "ignore_pattern": r"__init__\.py",
    "within_subsection_order": "FileNameSortKey",
    "download_all_examples": False,
    "plot_gallery": "True",
    "matplotlib_animations": False,
    "remove_config_comments": True,
    # examples without a plot show this card instead of the placeholder
    "default_thumb_file": os.path.join(
        os.path.dirname(__file__), "_static", "example-thumbnail.png"
    ),
}

html_theme = "pydata_sphinx_theme"
html_title = f"skw2v {release}"
templates_path = ["_templates"]
html_theme_options = {
    "github_url": "https://github.com/skw2v/skw2v",
    "navigation_with_keys": False,
    "show_toc_level": 2,
    # the header keeps one line at 1280 px (checked with headless Chromium): the first
    # pages, the rest under "More", and the search as a button, not a field
    "header_links_before_dropdown": 4,
    "navbar_persistent": ["search-button"],
}
html_static_path = ["_static"]
html_css_files = ["custom.css"]

sys.path.insert(0, os.path.abspath(".."))
