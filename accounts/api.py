from django.db import IntegrityError
from rest_framework import generics, permissions, serializers, status
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework_simplejwt import views as jwt_views

from accounts import services
from accounts.serializers import RegistrationSerializer, UserSerializer


class RegisterAPIView(generics.GenericAPIView):
    """Create an attendee account. The response never contains the password."""

    serializer_class = RegistrationSerializer
    permission_classes = [permissions.AllowAny]
    authentication_classes = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "register"

    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            user = services.register_user(
                username=data["username"], email=data["email"], password=data["password"],
                first_name=data["first_name"], last_name=data["last_name"],
            )
        except IntegrityError as error:
            # Two registrations for the same name raced past validation; the constraint decided.
            raise serializers.ValidationError({"username": ["This username or email is taken."]}) from error
        return Response(UserSerializer(user).data, status=status.HTTP_201_CREATED)


class MeAPIView(generics.RetrieveAPIView):
    serializer_class = UserSerializer

    def get_object(self):
        return self.request.user


class TokenObtainView(jwt_views.TokenObtainPairView):
    """Issue an access and a refresh token for a username (or email) and password."""

    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "login"


class TokenRefreshView(jwt_views.TokenRefreshView):
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "login"


class TokenBlacklistView(jwt_views.TokenBlacklistView):
    pass
