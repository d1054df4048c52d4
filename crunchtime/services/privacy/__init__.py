"""Privacy (RGPD): a student's data download, deletion requests and anonymisation, and the
retention rule."""
