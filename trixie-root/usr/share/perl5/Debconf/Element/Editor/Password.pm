#!/usr/bin/perl
# This file was preprocessed, do not edit!


package Debconf::Element::Editor::Password;
use warnings;
use strict;
use base qw(Debconf::Element::Editor::String);


1
