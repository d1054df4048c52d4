from crunchtime.views.accounts.student.routes import blueprint

__all__ = ["blueprint"]
