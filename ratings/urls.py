from django.urls import path

from . import views

urlpatterns = [
    path("expert/reviews/", views.queue, name="review_queue"),
    path("expert/reviews/<int:pk>/", views.review_page, name="review_page"),
    path("expert/reviews/<int:pk>/take/", views.take, name="review_take"),
    path("expert/reviews/<int:pk>/release/", views.release, name="review_lock_release"),
    path("cabinet/reviews/<int:pk>/", views.review_feedback, name="review_feedback"),
]
