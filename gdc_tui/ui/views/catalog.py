"""The Error catalog step: every entry, grouped by the guide's categories, as a tree."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static, Tree

from gdc_tui.knowledge import ErrorEntry, Knowledge
from gdc_tui.wizard import Step


class CatalogView(Vertical):
    def __init__(self, step: Step, knowledge: Knowledge, **kwargs) -> None:
        super().__init__(**kwargs)
        self.step = step
        self.knowledge = knowledge

    def compose(self) -> ComposeResult:
        yield Static(self.step.text, classes="step-text")
        tree: Tree[ErrorEntry | None] = Tree("Catalog", id="catalog-tree")
        tree.show_root = False
        tree.guide_depth = 2
        for category in self.knowledge.categories:
            label = category.title if category.id == "field" else f"{category.id}: {category.title}"
            node = tree.root.add(label, expand=True)
            for entry in self.knowledge.in_category(category.id):
                node.add_leaf(f"{entry.guide_label:>5}  {entry.title}", data=entry)
        yield tree

    def on_mount(self) -> None:
        # Start on the first entry (line 0 is its category), so Enter opens something at once.
        self.query_one("#catalog-tree", Tree).cursor_line = 1

    def on_tree_node_selected(self, event: Tree.NodeSelected) -> None:
        if isinstance(event.node.data, ErrorEntry):
            self.app.open_entry(event.node.data)
