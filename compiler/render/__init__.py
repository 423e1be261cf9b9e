"""Render: the computed model → the bytes of each output; nothing is written here.

HTML and Markdown through Jinja (`environment`: the filters and the one environment per
kind; `sandbox`: Jinja's sandbox for a project's layouts, with its template checks), the
PDF through WeasyPrint (`pdf`, laid out in a process of its own by `pdf_process`, its
fonts proved by `fonts`), the statutory tables as a workbook (`xlsx`), the year's figures
as open data (`opendata`: the files a program reads, also attached to the PDF), and the
更正说明 a corrected edition carries (`notice`). A template holds wording, never a figure.

May import: input, model, layout.
"""
