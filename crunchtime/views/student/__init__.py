from crunchtime.views.student.routes import blueprint

__all__ = ["blueprint"]
