"""Operations: what the people who run the platform do to it as a whole — a consistent backup
of the database and the uploaded files, and its restore onto an empty install."""
