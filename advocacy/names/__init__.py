"""Names in every spelling: variants generated on save and import, and the one name search
used by the registers, the matching pages and the API. No views of its own."""
