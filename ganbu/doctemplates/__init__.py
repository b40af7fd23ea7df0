"""The procedure's documents (考察预告, 任前公示公告, 任职通知, 考察材料提纲, 讨论决定任免干部名单).

Each kind (``kinds``) says which fields it gives a Word template, builds them from a selection record
(``context``), has a default template generated in code (``defaults``) and a built-in layout for PDF when
LibreOffice is not installed (``fallback``). The department uploads its own templates (``services``);
``selectors.render_record_document`` fills the active one.
"""
