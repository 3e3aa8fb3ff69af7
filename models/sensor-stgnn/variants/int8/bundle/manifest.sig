{
  "algorithm": "ECDSA-P256-SHA256",
  "keyId": "7ea841fa393b6b6d1ed33a5b4fa4d9be",
  "signature": "4AUzalm/vqQmA3jRk6IUU9d\u002Brsg3A0IREJEK8qMvvSbSF464K8vfaAHxniq9i/9OkOS74AVvnvTs8AOscg84DQ=="
}