"""Maths in reports: LaTeX becomes MathML at export, exactly where JupyterLab sees maths (code spans
and code blocks keep their dollar signs), and a formula that cannot be typeset fails the export
with the formula in the message. The browser side is in test_template.py."""

from __future__ import annotations

import pytest
import showcase

from alliancelib.export import MathError, latex_to_mathml, markdown_to_html, style_sheet


def test_inline_and_display_maths_become_mathml() -> None:
    out = markdown_to_html(
        r"Integrated ownership is $\tilde W = (I - W)^{-1} W$." "\n\n" r"$$o_i = 1 - \sum_k W_{ki}$$"
    )
    assert out.count("<math ") == 2
    assert 'display="inline"' in out and 'display="block"' in out
    assert '<annotation encoding="application/x-tex">\\tilde W = (I - W)^{-1} W</annotation>' in out
    assert "$" not in out


@pytest.mark.parametrize(
    "markdown",
    [
        "Cost `$x$ and $y$`",  # a code span
        "```\nx = $$a$$ and $b$\n```",  # a fenced code block
        "    indented $y$ code",  # an indented code block
    ],
)
def test_code_keeps_its_dollar_signs(markdown: str) -> None:
    out = markdown_to_html(markdown)
    assert "<math" not in out and "$" in out


def test_an_escaped_dollar_is_a_dollar() -> None:
    assert markdown_to_html(r"Price \$5 and \$6") == "<p>Price $5 and $6</p>\n"


@pytest.mark.parametrize(
    ("latex", "message"),
    [
        (r"\frac{a}{b", "unbalanced braces"),
        (r"x^", "MissingSuperScriptOrSubscriptError"),
        (r"\foo x", r"unknown command \\foo"),
    ],
)
def test_a_formula_that_cannot_be_typeset_fails_with_the_formula(latex: str, message: str) -> None:
    with pytest.raises(MathError, match=message):
        latex_to_mathml(latex)
    with pytest.raises(MathError, match="cannot typeset the formula"):
        markdown_to_html(f"Text ${latex}$ more")


def test_the_report_is_static_and_deterministic(tmp_path) -> None:
    first = showcase.write_report(tmp_path / "a").read_text(encoding="utf-8")
    second = showcase.write_report(tmp_path / "b").read_text(encoding="utf-8")
    assert first == second
    assert "<script" not in first.lower() and "mathjax" not in first.lower()
    assert "<code>price = $20,000 and $649m</code>" in first
    assert "@media print" in first and "@page" in first  # the print styles travel with the report


def test_the_print_styles_can_be_shared() -> None:
    css = style_sheet("print.css")
    assert "@page" in css and "break-inside: avoid" in css
