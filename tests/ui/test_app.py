"""The TUI shell, driven with Pilot: lookup, opening an entry, the catalog by category."""

from __future__ import annotations

from textual.widgets import ContentSwitcher, Markdown, OptionList, TextArea, Tree

from gdc_tui.ui.app import GdcApp
from gdc_tui.ui.entry_screen import EntryScreen

ORA = "java.sql.SQLException: ORA-01017: invalid username/password; logon denied"


async def test_header_names_the_host_and_sidebar_lists_only_working_sections(knowledge):
    app = GdcApp(knowledge, host_name="scim01.example.com")
    async with app.run_test(size=(80, 24)):
        assert app.sub_title == "scim01.example.com"
        sidebar = app.query_one("#sidebar", OptionList)
        ids = [sidebar.get_option_at_index(i).id for i in range(sidebar.option_count)]
        assert ids == ["section-errors", "lookup", "catalog"]


async def test_pasting_an_error_ranks_its_entry_first_and_enter_opens_it(knowledge):
    app = GdcApp(knowledge, host_name="h")
    async with app.run_test(size=(80, 24)) as pilot:
        app.query_one("#lookup-text", TextArea).insert(ORA)
        await pilot.pause(0.4)  # the debounce
        await app.workers.wait_for_complete()
        await pilot.pause()
        results = app.query_one("#lookup-results", OptionList)
        assert results.get_option_at_index(0).id == "oracle-invalid-credentials"
        results.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, EntryScreen)
        assert app.screen.entry.guide == ("A6",)
        markdown = app.screen.query_one("#entry", Markdown)
        assert "Why it happens" in markdown.source
        await pilot.press("escape")
        assert not isinstance(app.screen, EntryScreen)


async def test_unknown_text_says_no_match(knowledge):
    app = GdcApp(knowledge, host_name="h")
    async with app.run_test(size=(80, 24)) as pilot:
        app.query_one("#lookup-text", TextArea).insert("Started ScimServerApplication in 7.1 seconds")
        await pilot.press("ctrl+r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.query_one("#lookup-results", OptionList).option_count == 0
        assert "No known error" in str(app.query_one("#lookup-status").render())


async def test_catalog_groups_entries_by_category_and_opens_one(knowledge):
    app = GdcApp(knowledge, host_name="h")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f2", "down", "enter")
        assert app.query_one("#views", ContentSwitcher).current == "catalog"
        tree = app.query_one("#catalog-tree", Tree)
        labels = [str(node.label) for node in tree.root.children]
        assert labels == ["A: Installation & Setup Issues", "B: Errors on the UI",
                          "C: Custom Code Errors", "Field errors (not in the guide)"]
        assert sum(len(n.children) for n in tree.root.children) == len(knowledge.errors)
        tree.focus()
        await pilot.press("enter")  # the cursor starts on the first entry of category A
        await pilot.pause()
        assert isinstance(app.screen, EntryScreen)
        assert app.screen.entry.guide == ("A1",)
