"""Content translations: reading, translating, requests and the machine-translation queue."""
